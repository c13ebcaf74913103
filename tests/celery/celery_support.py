"""Helpers of the Celery tests: running workers, waiting for conditions."""

import os
import signal
import socket

from tests import support
from tests.support import pid_alive, wait_until  # noqa: F401  (used by the Celery tests)

#: The Redis visibility timeout of the test workers, in seconds.
VISIBILITY_TIMEOUT = 2


def stop_process(process, timeout=20):
    """SIGTERM to the process group of ``process`` (started in a session of
    its own), then SIGKILL to whatever is left of the group."""
    support.stop_process(process, grace=timeout, group_signal=signal.SIGTERM)


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


