"""The Celery task: an environ in, :func:`sio.workers.run` of it out.

The environ's ``job_timeout`` (see :func:`sio.workers.run`) also sets the
task's Celery time limits when the caller set none: a soft limit a few
seconds past it and a hard limit (the pool process is killed) a few seconds
later, a backstop for the runner's own deadline.

A revoked job (``AsyncResult.revoke(terminate=True)``) is stopped: the
terminate signal is turned into an exception inside the job, so that its
temporary directory is removed and the processes it started are killed
(those still alive afterwards are killed too), and the pool process then
leaves as Celery expects; the task's state is ``REVOKED``.  The same
happens when a worker is stopped the hard way, and then the job is handed
to another worker.

A failed job that needed a filetracker which does not answer gets a note
in its ``exception`` saying so (see :mod:`sio.celery.filetracker`).
"""

import os
import signal

from billiard.common import TERM_SIGNAL
from celery import shared_task, signals
from celery.worker.request import Request

from sio.celery import defaults, filetracker, progress
from sio.workers.defaults import FAILURE
from sio.workers.runner import run

# Whether this process is a worker's pool process (not the worker itself,
# where the terminate signal means a warm shutdown that lets jobs finish).
_in_pool_process = False


@signals.worker_process_init.connect(weak=False)
def _mark_pool_process(**kwargs):
    global _in_pool_process
    _in_pool_process = True


class JobTerminated(BaseException):
    """The pool process running the job was told to stop the job.

    A :class:`BaseException`, so that neither the job's own ``except
    Exception`` nor the runner's failure recording swallows it.
    """

    def __init__(self, signum, frame, previous_handler):
        super().__init__(signum)
        self.signum = signum
        self.frame = frame
        self.previous_handler = previous_handler


def time_limits_for(environ):
    """``[hard, soft]`` Celery time limits (seconds) for ``job_timeout``."""
    if not isinstance(environ, dict):
        return None
    timeout_ms = environ.get('job_timeout')
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, (int, float)) \
            or timeout_ms <= 0:
        return None  # the runner reports a bad value in the environ
    soft = timeout_ms / 1000.0 + defaults.TIME_LIMIT_GRACE
    return [soft + defaults.TIME_LIMIT_GRACE, soft]


class JobRequest(Request):
    """A worker's request for the task: time limits from ``job_timeout``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not any(self.time_limits or ()):
            job_args = self.args or [self.kwargs.get('environ')]
            limits = time_limits_for(job_args[0] if job_args else None)
            if limits:
                self.time_limits = limits


def _children_of_this_process():
    children = []
    try:
        threads = os.listdir('/proc/self/task')
    except OSError:
        return children
    for thread in threads:
        try:
            with open('/proc/self/task/%s/children' % thread) as f:
                children.extend(int(pid) for pid in f.read().split())
        except (OSError, ValueError):
            continue
    return children


def _kill_children():
    """Kills what the stopped job left running (a pool process has no
    other children)."""
    for pid in _children_of_this_process():
        for kill in (os.killpg, os.kill):
            try:
                if kill is os.killpg and os.getpgid(pid) == os.getpgid(0):
                    continue  # its group is ours: only the child itself
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass


class _TerminateRaises:
    """While a job runs in a pool process, the terminate signal raises
    :class:`JobTerminated` in it instead of ending the process at once."""

    def __enter__(self):
        self.previous = None
        if _in_pool_process:
            self.previous = signal.getsignal(TERM_SIGNAL)
            signal.signal(TERM_SIGNAL, self._on_terminate)
        return self

    def _on_terminate(self, signum, frame):
        signal.signal(TERM_SIGNAL, self.previous or signal.SIG_DFL)
        raise JobTerminated(signum, frame, self.previous)

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(TERM_SIGNAL, self.previous)
        return False


def _leave_after_termination(terminated):
    """Goes on as the pool process would have without our handler."""
    _kill_children()
    handler = terminated.previous_handler
    if callable(handler):
        handler(terminated.signum, terminated.frame)  # billiard's: exits
    raise SystemExit(128 + terminated.signum)


def _with_filetracker_note(result):
    """A failed job that needed a filetracker which does not answer says so."""
    if isinstance(result, dict) and result.get('result') == FAILURE:
        note = filetracker.failure_note(result)
        if note:
            result['exception'] = '%s (%s)' % (result.get('exception'), note)
    return result


@shared_task(bind=True, name=defaults.TASK_NAME, queue=defaults.QUEUE,
             Request='sio.celery.job:JobRequest')
def sioworkers_job(self, environ):
    """Runs the job described by ``environ`` and returns the resulting
    environ, as :func:`sio.workers.run` does (a failing job is an environ
    with ``result: FAILURE``, not a task error)."""
    previous_task = progress._set_current_task(self)
    try:
        with _TerminateRaises():
            return _with_filetracker_note(run(environ))
    except JobTerminated as terminated:
        _leave_after_termination(terminated)
    finally:
        progress._set_current_task(previous_task)
