"""Throughput of ``ping`` jobs through ``sioworkers_job`` on Celery, against
a bare Celery task that returns its argument.

One Redis server and one ``sio-celery-worker`` (the same settings for
both tasks) are started on free loopback ports; rounds of JOBS ``ping``
environs and of JOBS calls of the bare task are sent alternately through
the same producer and their results awaited, in alternating order.
Target: ``sioworkers_job`` at least 0.9x the throughput of the bare task
(the median over the rounds of the ratio within a round).

Usage: python benchmarks/celery.py [JOBS]   (default 300)
"""

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

# This file is named like the celery package: take its folder off the
# path once the shared helpers are imported, so that 'import celery' finds
# the real one.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
from _common import report  # noqa: E402

sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

TARGET_RATIO = 0.9
ROUNDS = 9
CONCURRENCY = 2
BARE_TASK = 'sio_bench_tasks.echo'
BIN_DIR = os.path.dirname(sys.executable)

BARE_TASK_MODULE = """\
from celery import shared_task


@shared_task(name=%r)
def echo(environ):
    return environ
""" % BARE_TASK

SETTINGS_MODULE = "imports = ['sio_bench_tasks']\n"


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise SystemExit('benchmark: gave up waiting for %s' % what)


def port_open(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1):
            return True
    except OSError:
        return False


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()


def start_servers(directory):
    port = free_port()
    redis = subprocess.Popen(
        ['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '',
         '--appendonly', 'no', '--dir', directory],
        stdout=subprocess.DEVNULL, start_new_session=True)
    processes = [redis]
    wait_for(lambda: port_open(port), 30, 'redis-server')
    with open(os.path.join(directory, 'sio_bench_tasks.py'), 'w') as f:
        f.write(BARE_TASK_MODULE)
    with open(os.path.join(directory, 'sio_bench_settings.py'), 'w') as f:
        f.write(SETTINGS_MODULE)
    url = 'redis://127.0.0.1:%d/0' % port
    # The worker's own temporary folder, as on a worker machine, rather than
    # a /tmp shared with whatever else runs here.
    env = dict(os.environ, PYTHONPATH=directory, CELERY_CONFIG_MODULE='sio_bench_settings',
               TMPDIR=directory)
    log_path = os.path.join(directory, 'worker.log')
    with open(log_path, 'w') as log:
        processes.append(subprocess.Popen(
            [os.path.join(BIN_DIR, 'sio-celery-worker'), url, '-c', str(CONCURRENCY),
             '-l', 'INFO', '--without-gossip', '--without-mingle', '-n', 'bench@%h'],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    wait_for(lambda: ' ready.' in open(log_path).read(), 60, 'the worker')
    return url, processes


def jobs_per_second(app, task_name, environs):
    from sio.celery.defaults import QUEUE

    start = time.perf_counter()
    with app.producer_or_acquire() as producer:
        pending = [app.send_task(task_name, args=[environ], queue=QUEUE, producer=producer)
                   for environ in environs]
    results = [p.get(timeout=300) for p in pending]
    elapsed = time.perf_counter() - start
    assert all(r['ping'] == e['ping'] for r, e in zip(results, environs)), results[:3]
    return len(environs) / elapsed, results


def measure(url, jobs):
    from sio.celery.client import app_for
    from sio.celery.defaults import TASK_NAME

    app = app_for(url)
    environs = [{'job_type': 'ping', 'ping': n} for n in range(jobs)]
    jobs_per_second(app, TASK_NAME, environs[:20])  # connections, imports
    rates = {BARE_TASK: [], TASK_NAME: []}
    for round_number in range(ROUNDS):
        order = [BARE_TASK, TASK_NAME]
        if round_number % 2:  # neither task always goes first
            order.reverse()
        for task_name in order:
            rate, results = jobs_per_second(app, task_name, environs)
            if task_name == TASK_NAME:
                assert all(r['pong'] == r['ping'] for r in results), results[:3]
            rates[task_name].append(rate)
    # Each round's two figures were measured back to back, under the same
    # load: their ratio is steadier than a ratio of medians.
    ratios = [ours / bare for bare, ours in zip(rates[BARE_TASK], rates[TASK_NAME])]
    return (statistics.median(rates[BARE_TASK]), statistics.median(rates[TASK_NAME]),
            statistics.median(ratios))


def job_dir_ms(directory, samples=200):
    """Milliseconds to make and remove an empty directory where the worker
    makes its jobs' temporary directories: every sioworkers job pays it
    (the runner gives each job a fresh one), the bare task does not."""
    start = time.perf_counter()
    for n in range(samples):
        path = os.path.join(directory, 'sio-job-bench-%d' % n)
        os.mkdir(path, 0o700)
        os.rmdir(path)
    return (time.perf_counter() - start) / samples * 1000.0


def main():
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    directory = tempfile.mkdtemp(prefix='sio-bench-celery-')
    processes = []
    try:
        url, processes = start_servers(directory)
        bare, ours, ratio = measure(url, jobs)
        dir_cost = job_dir_ms(directory)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(directory, ignore_errors=True)
    report('bare Celery task (jobs/s, %d jobs)' % jobs, bare, '/s', 'reference', True)
    report('ping through sioworkers_job (jobs/s)', ours, '/s', 'reference', True)
    # Per job slot: how much longer a sioworkers job takes, and how much of
    # that its temporary directory explains.
    report('extra time per sioworkers job (ms)',
           (1.0 / ours - 1.0 / bare) * CONCURRENCY * 1000.0, 'ms', 'reference', True)
    report('of which a job directory, mkdir+rmdir (ms)', dir_cost, 'ms', 'reference', True)
    report('sioworkers_job / bare task throughput', ratio, 'x',
           '>= %.1fx' % TARGET_RATIO, ratio >= TARGET_RATIO)
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == '__main__':
    sys.exit(main())
