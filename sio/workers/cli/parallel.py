"""``sio-batch -j N``: many environs, run in parallel on worker processes.

The environs come one per line (JSON lines) from standard input or from
``-i FILE``.  Each worker is a separate Python process running
:func:`sio.workers.runner.run` on one environ at a time (a job owns the
process's current directory, so jobs cannot share a process).  The results
are printed one environ per line, in input order, as soon as every earlier
line has its result.

Interruption (Ctrl-C, ``SIGTERM``) stops every worker: each one stops its
job the way a single ``sio-batch`` does (programs killed, temporary
directory removed); the results finished so far are written, the
interrupted lines as ``FAILURE`` results saying so, and lines not started
yet are left out.

This module is imported only in batch mode, so it may take its time; the
input and the summary are in :mod:`~sio.workers.cli.batch_io`, the worker
processes' side in :mod:`~sio.workers.cli.batch_worker`.
"""

import os
import selectors
import signal
import subprocess
import sys
import time

from sio.workers.cli import UsageError
from sio.workers.cli.batch_io import (PROG, Source, Summary, failure_line,
                                      prepared_environ, progress_bar)
from sio.workers.cli.batch_worker import ignore_interruptions

#: How long stopped workers get to clean up before they are killed (s).
STOP_GRACE_SECONDS = 10.0
#: The program of a worker process: one result line per environ line.  An
#: interruption while it is still importing ends it quietly too.
WORKER_SOURCE = '''
try:
    from sio.workers.cli.batch_worker import worker_main
except KeyboardInterrupt:
    raise SystemExit(130)
worker_main()
'''


#: The most workers ``-j`` may ask for per core: jobs wait for their
#: programs much of the time, but more workers than this only compete.
MAX_WORKERS_PER_CORE = 8
#: Descriptors one worker costs this process (its pipes), with room to spare.
_FDS_PER_WORKER = 8


def worker_count_for(text):
    """The number of worker processes ``-j`` asks for; 0 or auto: the cores.
    More than :func:`max_workers` is a :class:`UsageError`."""
    if text == 'auto':
        return available_cores()
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise UsageError("option -j/--jobs expects a number of worker processes "
                         "(0 or 'auto' for one per core), not %r" % text)
    most, why = max_workers()
    if count > most:
        raise UsageError('option -j/--jobs asks for %d worker processes; this machine '
                         'can run at most %d (%s)' % (count, most, why))
    return count or available_cores()


def max_workers():
    """(the most worker processes this machine can run, what bounds it):
    :data:`MAX_WORKERS_PER_CORE` per core, the descriptors this process may
    open, and the slots of isolated runs (two per worker: an interactive
    job runs two programs at once)."""
    import resource

    from sio.workers.process import slots

    cores = available_cores()
    bounds = [(MAX_WORKERS_PER_CORE * cores, '%d per core, %d cores'
               % (MAX_WORKERS_PER_CORE, cores))]
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY:
        bounds.append((max(1, (soft - 64) // _FDS_PER_WORKER),
                       'open files limit %d' % soft))
    try:
        slot_count = len(slots.uid_range())
    except Exception:  # a bad slot range is reported by the jobs themselves
        slot_count = None
    if slot_count is not None:
        bounds.append((max(1, slot_count // 2), '%d slots of isolated runs' % slot_count))
    return min(bounds)


def available_cores():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Worker:
    """One worker process and the input line it is running, if any."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, '-c', WORKER_SOURCE],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
        )
        self.line_index = None
        self.sent_line = None
        self.buffer = b''
        self.eof = False

    @property
    def busy(self):
        return self.line_index is not None

    def send(self, line_index, line):
        self.line_index = line_index
        self.sent_line = line
        self.process.stdin.write(line.encode('utf-8') + b'\n')

    def read_results(self):
        """[(line index, result line)] ready now; [] and ``eof`` at the end."""
        chunk = os.read(self.process.stdout.fileno(), 1 << 16)
        if not chunk:
            self.eof = True
            return []
        self.buffer += chunk
        results = []
        while b'\n' in self.buffer:
            line, self.buffer = self.buffer.split(b'\n', 1)
            results.append((self.line_index, line.decode('utf-8')))
            self.line_index = None
        return results

    def death_message(self):
        code = self.process.wait()
        how = ('was killed by signal %d' % -code) if code < 0 else (
            'exited with status %d' % code)
        return 'the worker process running this environ %s' % how

    def close(self):
        try:
            self.process.stdin.close()
        except OSError:
            pass

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.send_signal(signal.SIGTERM)
            except OSError:
                pass


class Batch:
    """Feeds input lines to idle workers; writes the results in input order."""

    def __init__(self, source, job_type, worker_count, out):
        self.source = source
        self.job_type = job_type
        self.worker_count = worker_count
        self.out = out
        self.workers = []
        self.selector = selectors.DefaultSelector()
        self.pending = {}  # line index -> result line, waiting for its turn
        self.next_to_write = 0
        self.dispatched = 0
        self.input_done = False
        self.stopping = False
        self.summary = Summary()
        self.progress = progress_bar(source.total())

    def run(self):
        total = self.source.total()
        wanted = self.worker_count if total is None else min(self.worker_count, total)
        for _ in range(wanted):
            self._feed(self._start_worker())
        while self.workers:
            for key, _ in self.selector.select():
                self._collect(key.data)

    def _start_worker(self):
        worker = Worker()
        self.workers.append(worker)
        self.selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        return worker

    def _feed(self, worker):
        """Gives ``worker`` its next environ, or closes it at the end of input."""
        while not self.input_done:
            item = self.source.next_line()
            if item is None:
                self.input_done = True
                break
            index = self.dispatched
            self.dispatched += 1
            line, failure = prepared_environ(item[1], item[0], self.source.name,
                                             self.job_type)
            if failure is not None:
                self._record(index, failure)
                continue
            try:
                worker.send(index, line)
                return
            except OSError:  # the worker is gone; _collect reports the line
                return
        worker.close()

    def _collect(self, worker):
        for index, line in worker.read_results():
            self._record(index, line)
        if not worker.eof:
            if not worker.busy and not self.stopping:
                self._feed(worker)
            return
        self.selector.unregister(worker.process.stdout)
        self.workers.remove(worker)
        worker.process.stdout.close()
        if worker.busy:
            message = ('stopped before it finished: %s was interrupted' % PROG
                       if self.stopping else worker.death_message())
            self._record(worker.line_index, failure_line(message, worker.sent_line))
            if not self.stopping and not self.input_done:
                self._feed(self._start_worker())
        worker.process.wait()

    def _record(self, index, line):
        self.pending[index] = line
        while self.next_to_write in self.pending:
            result = self.pending.pop(self.next_to_write)
            self.out.write(result + '\n')
            self.out.flush()
            self.summary.add(result)
            self.next_to_write += 1
            if self.progress is not None:
                self.progress.update(1)

    def stop(self):
        """Stops every worker; their lines end as interrupted failures."""
        self.stopping = True
        for worker in self.workers:
            worker.stop()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while self.workers and time.monotonic() < deadline:
            for key, _ in self.selector.select(deadline - time.monotonic()):
                self._collect(key.data)
        for worker in list(self.workers):
            worker.process.kill()
            self._collect_until_eof(worker)
        # A result cut off by the interruption itself still gets its line.
        for index in range(self.next_to_write, self.dispatched):
            if index not in self.pending:
                self._record(index, failure_line(
                    'stopped before it finished: %s was interrupted' % PROG))

    def _collect_until_eof(self, worker):
        while worker in self.workers:
            self._collect(worker)

    def close(self):
        """Ends the workers still running after an error of our own (such
        as a closed standard output), giving their jobs time to clean up."""
        for worker in self.workers:
            worker.stop()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for worker in self.workers:
            try:
                worker.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        self.selector.close()
        if self.progress is not None:
            self.progress.close()


def run_batch(jobs, input_path, job_type):
    """``sio-batch -j JOBS [-i INPUT_PATH] [JOB_TYPE]``; the exit status."""
    worker_count = worker_count_for(jobs)
    source = Source(input_path)
    started = time.monotonic()
    batch = Batch(source, job_type, worker_count, sys.stdout)
    interrupted_by = None
    try:
        try:
            batch.run()
        except KeyboardInterrupt as e:
            interrupted_by = getattr(e, 'signum', signal.SIGINT)
            ignore_interruptions()
            batch.stop()
    finally:
        batch.close()
    sys.stderr.write(batch.summary.text(time.monotonic() - started, worker_count,
                                        interrupted_by) + '\n')
    return 0 if interrupted_by is None else 128 + interrupted_by


