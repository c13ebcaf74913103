"""``sio-worker``'s cost: a ``ping`` through the worker against
:func:`sio.workers.run` in-process, and ``ping`` jobs per second at
concurrency 2.

A server speaking sioworkersd's worker protocol listens on a free loopback
port; one ``sio-worker --concurrency 2`` joins it.  The round trip is the
median time from sending a ``run`` call to reading its answer, one call at
a time; its overhead is that minus the median of ``run()`` of the same
environ in this process.  The throughput keeps two calls in flight (as
sioworkersd keeps a worker's slots full) for JOBS calls.  No target is
named: the figures are printed as they are.

Usage: python benchmarks/sioworker.py [JOBS]   (default 60)
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import median_ms, report_figure, timed  # noqa: E402

from sio.sioworkersd import protocol  # noqa: E402
from sio.workers import run  # noqa: E402

ROUNDS = 25
CONCURRENCY = 2
BIN_DIR = os.path.dirname(sys.executable)


class Server:
    """The server side of one worker's connection, blocking."""

    def __init__(self):
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        self.decoder = protocol.NetstringDecoder()
        self.pending = []
        self.next_id = 0

    def accept(self, timeout=60):
        self.listener.settimeout(timeout)
        self.sock, _ = self.listener.accept()
        self.sock.settimeout(timeout)
        assert self.receive()['type'] == 'hello'
        self.sock.sendall(protocol.encode({'type': 'hello_ack'}))

    def receive(self):
        while not self.pending:
            data = self.sock.recv(65536)
            if not data:
                raise SystemExit('benchmark: the worker closed the connection')
            self.pending.extend(self.decoder.feed(data))
        return protocol.decode(self.pending.pop(0))

    def send_run(self, environ):
        self.next_id += 1
        self.sock.sendall(protocol.encode(
            {'type': 'call', 'id': self.next_id, 'method': 'run', 'args': [environ]}))

    def answer(self):
        message = self.receive()
        if message['type'] != 'result':
            raise SystemExit('benchmark: a ping failed: %r' % message)
        return message


def ping(task_id):
    return {'job_type': 'ping', 'ping': task_id, 'task_id': 'bench-%d' % task_id}


def round_trip(server, task_id):
    server.send_run(ping(task_id))
    server.answer()


def throughput(server, jobs):
    start = time.perf_counter()
    sent = 0
    for _ in range(min(CONCURRENCY, jobs)):
        server.send_run(ping(10000 + sent))
        sent += 1
    for _ in range(jobs):
        server.answer()
        if sent < jobs:
            server.send_run(ping(10000 + sent))
            sent += 1
    return jobs / (time.perf_counter() - start)


def main():
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    tmp_dir = tempfile.mkdtemp(prefix='sio-bench-worker-')
    server = Server()
    worker = subprocess.Popen(
        [os.path.join(BIN_DIR, 'sio-worker'), '127.0.0.1', '--port', str(server.port),
         '--concurrency', str(CONCURRENCY), '--name', 'bench', '--log-level', 'WARNING'],
        env=dict(os.environ, TMPDIR=tmp_dir), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        server.accept()
        round_trip(server, 0)  # warm the plugin index and the caches
        through_worker = [timed(round_trip, server, i) for i in range(1, ROUNDS + 1)]
        in_process = [timed(run, ping(i)) for i in range(ROUNDS)]
        per_second = throughput(server, jobs)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
        shutil.rmtree(tmp_dir, ignore_errors=True)
    report_figure('ping through sio-worker (round trip)', median_ms(through_worker), 'ms')
    report_figure('ping with run() in-process', median_ms(in_process), 'ms')
    report_figure('sio-worker overhead per ping',
                  median_ms(through_worker) - median_ms(in_process), 'ms')
    report_figure('ping jobs/s at concurrency %d' % CONCURRENCY, per_second, '/s')


if __name__ == '__main__':
    main()
