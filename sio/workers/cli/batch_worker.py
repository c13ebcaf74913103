"""A worker process of ``sio-batch -j``: environ lines in on standard
input, result lines out on standard output, one job at a time."""

import os
import signal
import sys

from sio.workers import _jsonio
from sio.workers.cli.batch_io import failure_line


def ignore_interruptions():
    # A second Ctrl-C must not cut the clean-up short.  A handler that does
    # nothing, rather than SIG_IGN, so that a signal already on its way is
    # dropped quietly instead of raising "ignored due to race condition".
    signal.signal(signal.SIGINT, _do_nothing)
    signal.signal(signal.SIGTERM, _do_nothing)


def _do_nothing(signum, frame):
    pass


def worker_main():
    """A worker process: environ lines in on stdin, result lines out."""
    from sio.workers.cli.environ_json import encode_environ

    signal.signal(signal.SIGINT, _stop_worker)
    signal.signal(signal.SIGTERM, _stop_worker)
    try:  # a worker stopped while it starts ends as quietly
        _die_with_parent()
        results = os.fdopen(os.dup(1), 'w', encoding='utf-8')
        os.dup2(2, 1)  # whatever a job prints goes to standard error
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
    ignore_interruptions()
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
