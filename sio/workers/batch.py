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

This module is imported only in batch mode, so it may take its time.
"""

import argparse
import os
import selectors
import signal
import subprocess
import sys
import time

from sio.workers import _jsonio
from sio.workers.cli import PROG, UsageError, apply_overrides, decode_environ
from sio.workers.defaults import FAILURE

#: How long stopped workers get to clean up before they are killed (s).
STOP_GRACE_SECONDS = 10.0
#: The program of a worker process: one result line per environ line.  An
#: interruption while it is still importing ends it quietly too.
WORKER_SOURCE = '''
try:
    from sio.workers.batch import worker_main
except KeyboardInterrupt:
    raise SystemExit(130)
worker_main()
'''

_STDIN_NAME = 'standard input'


def parse_arguments(argv):
    parser = argparse.ArgumentParser(prog=PROG, add_help=False)
    parser.add_argument('-j', '--jobs', default='1')
    parser.add_argument('-i', '--input', default=None)
    parser.add_argument('job_type', nargs='?', default=None)
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit:  # argparse has printed its complaint already
        raise UsageError('bad command line (see sio-batch --help)')
    if extra:
        raise UsageError('unexpected arguments in batch mode: %s'
                         % ' '.join(repr(a) for a in extra))
    return worker_count(args.jobs), args.input, args.job_type


def worker_count(text):
    """The number of worker processes ``-j`` asks for; 0 or auto: the cores."""
    if text == 'auto':
        return available_cores()
    try:
        count = int(text)
    except ValueError:
        count = -1
    if count < 0:
        raise UsageError("option -j/--jobs expects a number of worker processes "
                         "(0 or 'auto' for one per core), not %r" % text)
    return count or available_cores()


def available_cores():
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def failure_line(message, environ_line=None):
    """A FAILURE result: the environ sent (if any) with ``exception``."""
    environ = _jsonio.loads(environ_line) if environ_line else {}
    environ.update(result=FAILURE, exception=message)
    return _jsonio.dumps(environ)


class Source:
    """The input lines, numbered; blank lines are skipped."""

    def __init__(self, path):
        self.name = _STDIN_NAME if path is None else 'input file %r' % path
        try:
            self.stream = sys.stdin.buffer if path is None else open(path, 'rb')
        except OSError as e:
            raise UsageError('cannot read input file %r: %s' % (path, e.strerror))
        self.lines = None
        self.number = 0
        if _is_regular_file(self.stream):
            self.lines = [l for l in self.stream.read().splitlines() if l.strip()]

    def total(self):
        """The number of environs, if known in advance."""
        return None if self.lines is None else len(self.lines)

    def next_line(self):
        """(line number, bytes) of the next environ, or None at the end."""
        if self.lines is not None:
            if self.number >= len(self.lines):
                return None
            self.number += 1
            return self.number, self.lines[self.number - 1]
        while True:
            line = self.stream.readline()
            if not line:
                return None
            self.number += 1  # counts blank lines too: numbers match the input
            if line.strip():
                return self.number, line


def _is_regular_file(stream):
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def prepared_environ(raw, number, source_name, job_type):
    """(JSON line to send to a worker, None) or (None, failure result line)."""
    where = 'line %d of %s' % (number, source_name)
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        return None, failure_line('%s is not valid UTF-8: %s' % (where, e))
    try:
        environ = apply_overrides(decode_environ(text, where), job_type)
    except UsageError as e:
        return None, failure_line(str(e))
    return _jsonio.dumps(environ), None


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


class Summary:
    """Counts of ``result`` and ``result_code`` over the results written."""

    def __init__(self):
        self.results = {}
        self.result_codes = {}
        self.count = 0

    def add(self, line):
        try:
            environ = _jsonio.loads(line)
        except ValueError:
            environ = {}
        self.count += 1
        for counts, key in ((self.results, 'result'), (self.result_codes, 'result_code')):
            value = environ.get(key)
            if value is not None:
                value = str(value)
                counts[value] = counts.get(value, 0) + 1

    def text(self, seconds, workers, interrupted_by=None):
        parts = ['%d environ%s in %.1f s on %d worker%s' % (
            self.count, '' if self.count == 1 else 's', seconds,
            workers, '' if workers == 1 else 's')]
        for title, counts in (('result', self.results), ('result_code', self.result_codes)):
            if counts:
                parts.append('%s: %s' % (title, ', '.join(
                    '%s %d' % item for item in sorted(counts.items()))))
        prefix = 'interrupted; ' if interrupted_by else ''
        return '%s: %s%s' % (PROG, prefix, '; '.join(parts))


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
        self.progress = _progress_bar(source.total())

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


def _progress_bar(total):
    """A tqdm bar on standard error when it is a terminal and tqdm is there."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit='environ', file=sys.stderr)


def main(argv):
    """``sio-batch`` in batch mode; the exit status."""
    worker_count, input_path, job_type = parse_arguments(argv)
    source = Source(input_path)
    started = time.monotonic()
    batch = Batch(source, job_type, worker_count, sys.stdout)
    interrupted_by = None
    try:
        try:
            batch.run()
        except KeyboardInterrupt as e:
            interrupted_by = getattr(e, 'signum', signal.SIGINT)
            _ignore_interruptions()
            batch.stop()
    finally:
        batch.close()
    sys.stderr.write(batch.summary.text(time.monotonic() - started, worker_count,
                                        interrupted_by) + '\n')
    return 0 if interrupted_by is None else 128 + interrupted_by


def _ignore_interruptions():
    # A second Ctrl-C must not cut the clean-up short.  A handler that does
    # nothing, rather than SIG_IGN, so that a signal already on its way is
    # dropped quietly instead of raising "ignored due to race condition".
    signal.signal(signal.SIGINT, _do_nothing)
    signal.signal(signal.SIGTERM, _do_nothing)


def _do_nothing(signum, frame):
    pass


def worker_main():
    """A worker process: environ lines in on stdin, result lines out."""
    from sio.workers.cli import encode_environ

    signal.signal(signal.SIGINT, _stop_worker)
    signal.signal(signal.SIGTERM, _stop_worker)
    _die_with_parent()
    results = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    os.dup2(2, 1)  # whatever a job prints goes to standard error
    try:
        from sio.workers.runner import run

        for line in iter(sys.stdin.buffer.readline, b''):
            try:
                result = encode_environ(run(_jsonio.loads(line.decode('utf-8'))))
            except ValueError as e:
                result = failure_line('the worker could not decode its environ: %s' % e)
            results.write(result + '\n')
            results.flush()
    except KeyboardInterrupt:
        sys.exit(130)


def _stop_worker(signum, frame):
    # Ctrl-C reaches a worker twice (from the terminal, then from the parent
    # sio-batch): the second signal must not cut the job's clean-up short.
    _ignore_interruptions()
    raise KeyboardInterrupt()


def _die_with_parent():
    """Asks Linux for SIGTERM when the parent ``sio-batch`` dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl
        sys.exit(1)
