"""Inside a job's process: one environ in on standard input, run, the
resulting environ out on standard output, then the process ends.

:func:`sio.workers.run` changes the process's current directory, so every
job of a worker gets a process of its own (see :mod:`sio.sioworkersd.jobs`).

The process is stopped with ``SIGTERM`` (or ``SIGINT``): that interrupts
the job the way Ctrl-C interrupts ``sio-batch``, so the programs it started
are killed and its temporary directory removed before the process ends,
without a result.  Linux sends the same ``SIGTERM`` when the worker that
started the process dies, even by ``SIGKILL``.
"""

import json
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


class Stopped(KeyboardInterrupt):
    """The job was told to stop; the runner cleans up as on Ctrl-C."""


def _stop(signum, frame):
    # The clean-up that follows must not be cut short by a second signal.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise Stopped(signum)


def _die_with(worker_pid):
    """Asks Linux for ``SIGTERM`` when the worker (our parent) dies; ends
    at once when it is gone already."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != worker_pid:
        sys.exit(128 + signal.SIGTERM)


def merged_result(environ, returned):
    """What the worker answers: the environ it was given, updated with the
    one the job returned (a job may return a new dict)."""
    if returned is not environ:
        environ.update(returned)
    return environ


def _encoded(environ):
    try:
        return json.dumps(environ).encode('utf-8')
    except (TypeError, ValueError) as e:
        import traceback

        return json.dumps({
            'task_id': environ.get('task_id'), 'result': 'FAILURE',
            'exception': 'the resulting environ cannot be encoded as JSON: %s' % e,
            'traceback': traceback.format_exc()}).encode('utf-8')


def main():
    """The job process: ``python -c ... WORKER_PID``."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        _die_with(int(sys.argv[1]))
        results = os.fdopen(os.dup(1), 'wb')
        os.dup2(2, 1)  # what a job prints goes to the worker's log
        environ = json.loads(sys.stdin.buffer.read().decode('utf-8'))
        from sio.workers.runner import run

        environ = merged_result(environ, run(environ))
        results.write(_encoded(environ))
        results.close()
    except Stopped as e:
        sys.exit(128 + e.args[0])
