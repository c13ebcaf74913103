"""Helpers of the ``sio-worker`` tests: the worker as a process, and what
is left of its jobs."""

import os
import signal
import subprocess

from tests.support import pid_alive, stop_process, tool, wait_until

WAIT = 60  # seconds; a generous bound for anything to happen, not a measurement


class WorkerProcess:
    """A running ``sio-worker``: its process, its TMPDIR, its log."""

    def __init__(self, args, tmp_dir, log_path):
        self.tmp_dir = str(tmp_dir)
        self.log_path = str(log_path)
        with open(self.log_path, 'wb') as log:
            self.process = subprocess.Popen(
                [tool('sio-worker')] + [str(a) for a in args],
                env=dict(os.environ, TMPDIR=self.tmp_dir), stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def signal(self, signum):
        os.kill(self.process.pid, signum)

    def wait(self):
        """The exit status, once the worker ended by itself."""
        try:
            return self.process.wait(WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError('the worker did not end; its log:\n' + self.log())

    def stop(self):
        stop_process(self.process, grace=30, group_signal=signal.SIGTERM)

    def leftovers(self):
        """What the worker's jobs left: live processes other than the worker
        that have its TMPDIR in their environment, and entries in TMPDIR."""
        processes = [pid for pid in processes_with_environ('TMPDIR', self.tmp_dir)
                     if pid != self.process.pid]
        return processes, os.listdir(self.tmp_dir)

    def wait_clean(self, *program_names):
        """Waits until no job process, no program named in
        ``program_names`` and no temporary directory is left."""
        wait_until(lambda: self.leftovers() == ([], []) and
                   not any(processes_named(n) for n in program_names), WAIT,
                   'the jobs to leave nothing behind (left: %r, programs: %r)'
                   % (self.leftovers(), [processes_named(n) for n in program_names]))


def _live_pids():
    for entry in os.listdir('/proc'):
        if entry.isdigit() and pid_alive(int(entry)):
            yield int(entry)


def processes_named(name):
    """Live processes whose name (``comm``) is ``name``."""
    found = []
    for pid in _live_pids():
        try:
            with open('/proc/%d/comm' % pid) as f:
                if f.read().strip() == name:
                    found.append(pid)
        except OSError:
            continue
    return found


def processes_with_environ(variable, value):
    """Live processes started with ``variable=value`` in their environment."""
    wanted = ('%s=%s' % (variable, value)).encode()
    found = []
    for pid in _live_pids():
        try:
            with open('/proc/%d/environ' % pid, 'rb') as f:
                if wanted in f.read().split(b'\0'):
                    found.append(pid)
        except OSError:
            continue
    return found
