"""Helpers of the Celery tests: running workers, waiting for conditions."""

import os
import signal
import socket
import time

from tests import support

#: The Redis visibility timeout of the test workers, in seconds.
VISIBILITY_TIMEOUT = 2


def wait_until(condition, timeout, what):
    """Polls ``condition`` until it is true; fails the test after
    ``timeout`` seconds (a generous bound, not a measurement)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError('gave up waiting for %s after %ss' % (what, timeout))


def stop_process(process, timeout=20):
    """SIGTERM to the process group of ``process`` (started in a session of
    its own), then SIGKILL to whatever is left of the group."""
    support.stop_process(process, grace=timeout, group_signal=signal.SIGTERM)


def pid_alive(pid):
    """Whether ``pid`` is a process that has not finished (zombies have)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return False


class Worker:
    """A running ``sio-celery-worker``: its name, its TMPDIR, its log."""

    def __init__(self, name, process, tmp_dir, log_path):
        self.name = name
        self.process = process
        self.tmp_dir = tmp_dir
        self.log_path = log_path

    @property
    def node(self):
        return '%s@%s' % (self.name, socket.gethostname())

    def log(self):
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def job_dirs(self):
        return [n for n in os.listdir(self.tmp_dir) if n.startswith('sio-job-')]

    def kill(self):
        """SIGKILL to the worker and everything it started, as when its
        machine dies."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        stop_process(self.process, timeout=30)


