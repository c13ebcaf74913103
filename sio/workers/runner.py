"""The whole flow of a job, and ``sio-batch``.

environ in -> prefilters -> job, in a fresh temporary directory ->
postfilters -> environ out.

This module is on the start-up path of every ``sio-batch`` call, so it
imports only what the common case needs; the rest is imported where used.
"""

import os

from sio.workers import _plugins, _tempdir
from sio.workers.defaults import FAILURE, FILTERS_GROUP, JOBS_GROUP, SUCCESS
from sio.workers.exceptions import Failure, JobTimeout

try:
    from _thread import RLock
except ImportError:  # pragma: no cover
    from threading import RLock

try:
    # The C module behind signal: importing signal.py would add an enum
    # import to every start-up.
    from _signal import SIG_BLOCK, SIG_SETMASK, SIGALRM, SIGINT, SIGTERM
    from _signal import pthread_sigmask
except ImportError:  # pragma: no cover
    pthread_sigmask = None

# The current directory belongs to the whole process, so jobs run one at a
# time per process; the lock is reentrant so that a job may run() another.
_lock = RLock()
_jobs = []


class JobContext:
    """What a running job may ask of the runner (see :func:`current_job`)."""

    __slots__ = ('job_type', 'caller_dir', 'work_dir', 'deadline')

    def __init__(self, job_type, caller_dir, work_dir):
        self.job_type = job_type
        #: The directory :func:`run` was called from: relative local paths
        #: in the environ are relative to it, not to the job's ``work_dir``.
        self.caller_dir = caller_dir
        #: The job's temporary directory (its current directory).
        self.work_dir = work_dir
        self.deadline = None

    def time_left(self):
        """Seconds left before ``job_timeout`` (of this or an outer job)."""
        from sio.workers.timeouts import time_left

        return time_left()


def current_job():
    """The :class:`JobContext` of the innermost running job, or ``None``."""
    return _jobs[-1] if _jobs else None


def run(environ):
    """Runs the job described by ``environ`` and returns the environ.

    The job is the entry point named ``environ['job_type']`` in the group
    ``sio.jobs``: a function taking the environ and returning it.  It runs
    with a fresh temporary directory as its current directory, removed
    afterwards whatever it contains; the caller's current directory is
    restored.

    Keys read:

    ``job_type`` (required)
        name of the job.
    ``prefilters``, ``postfilters``
        lists of names of entry points in ``sio.workers.filters``,
        functions ``environ -> environ``, applied in list order before and
        after the job.  Postfilters run after a failure too; a failing
        filter stops the rest of its list.
    ``job_timeout``
        wall-clock limit of the prefilters and the job, in milliseconds;
        past it the job is stopped and recorded as a failure.

    Keys written:

    ``result``
        ``SUCCESS`` if the job returned normally, else ``FAILURE``.
    ``exception``, ``traceback``
        only on failure: the message, which names what went wrong (the
        unknown job type, the missing key, the failing filter), and the
        formatted traceback.  Stale values from an earlier run are removed.
    ``worker``
        host name of the machine that ran the job.

    ``run`` never raises for a problem of the job or of the environ; only
    :class:`KeyboardInterrupt` (after cleaning up) passes through.
    """
    if not isinstance(environ, dict):
        failed = {}
        _record_failure(failed, Failure(
            'the environ must be a JSON object (a dict), not %s'
            % type(environ).__name__))
        return failed
    with _lock:
        return _run_in_temp_dir(environ)


def _run_in_temp_dir(environ):
    for key in ('result', 'exception', 'traceback'):
        environ.pop(key, None)
    environ['worker'] = os.uname().nodename
    try:
        caller_dir = os.getcwd()
    except OSError:  # the caller's directory was removed
        caller_dir = None
    # An interruption (Ctrl-C, SIGTERM, job_timeout's alarm) between making
    # the directory and the try, or during the cleanup, would leave the
    # directory behind: hold those signals back there.
    saved_mask = _hold_signals()
    try:
        work_dir = _tempdir.make()
    except OSError as e:
        _release_signals(saved_mask)
        _record_failure(environ, Failure(
            'cannot create the job\'s temporary directory: %s' % e))
        return environ
    job = JobContext(environ.get('job_type'), caller_dir, work_dir)
    _jobs.append(job)
    try:
        os.chdir(work_dir)
        _release_signals(saved_mask)
        environ = _run_stages(environ, job)
    finally:
        _hold_signals()
        _jobs.pop()
        try:
            os.chdir(caller_dir or '/')
        except OSError:
            os.chdir('/')
        try:
            _tempdir.remove(work_dir)
        finally:
            _release_signals(saved_mask)
    return environ


def _hold_signals():
    if pthread_sigmask is None:
        return None
    return pthread_sigmask(SIG_BLOCK, (SIGINT, SIGTERM, SIGALRM))


def _release_signals(saved_mask):
    if saved_mask is not None:
        pthread_sigmask(SIG_SETMASK, saved_mask)


def _run_stages(environ, job):
    holder = [environ]  # the last environ a stage handed back
    try:
        timeout_ms = _job_timeout(environ)
        if timeout_ms is None:
            _prefilters_and_job(holder)
        else:
            _with_deadline(holder, job, timeout_ms)
        holder[0]['result'] = SUCCESS
    except (Exception, SystemExit) as e:
        _record_failure(holder[0], e)
    try:
        _apply_filters(holder, 'postfilter', holder[0].get('postfilters'))
    except (Exception, SystemExit) as e:
        _record_failure(holder[0], e, keep_earlier=True)
    return holder[0]


def _with_deadline(holder, job, timeout_ms):
    from sio.workers.timeouts import Deadline

    deadline = Deadline(timeout_ms / 1000.0)
    job.deadline = deadline
    try:
        with deadline:
            _prefilters_and_job(holder)
    except JobTimeout:
        if not deadline.expired():
            raise  # an outer job's deadline: let that job record it
        raise Failure('job %r exceeded job_timeout of %s ms and was stopped'
                      % (holder[0].get('job_type'), timeout_ms))


def _prefilters_and_job(holder):
    _apply_filters(holder, 'prefilter', holder[0].get('prefilters'))
    job_type = holder[0].get('job_type')
    if job_type is None:
        raise Failure("the environ has no key 'job_type' (the name of the job to run)")
    if not isinstance(job_type, str):
        raise Failure("key 'job_type' must be a string naming a job, not %r" % (job_type,))
    job = _plugins.load(JOBS_GROUP, job_type)
    holder[0] = _checked(job(holder[0]), 'job %r' % job_type)


def _apply_filters(holder, kind, names):
    if names is None:
        return
    if isinstance(names, str):
        names = names.split()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Failure('key %r must be a list of filter names, not %r' % (kind + 's', names))
    for name in names:
        try:
            function = _plugins.load(FILTERS_GROUP, name)
            holder[0] = _checked(function(holder[0]), '%s %r' % (kind, name))
        except (Exception, SystemExit) as e:
            raise Failure('%s %r failed: %s' % (kind, name, _describe(e))) from e


def _checked(result, who):
    if not isinstance(result, dict):
        raise Failure('%s returned %s instead of the environ (a dict)'
                      % (who, type(result).__name__))
    return result


def _job_timeout(environ):
    value = environ.get('job_timeout')
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise Failure("key 'job_timeout' must be a positive number of milliseconds, not %r"
                      % (value,))
    return value


def _describe(exc):
    if isinstance(exc, Failure):
        return str(exc)
    message = str(exc)
    return '%s: %s' % (type(exc).__name__, message) if message else type(exc).__name__


def _record_failure(environ, exc, keep_earlier=False):
    import traceback

    message = _describe(exc)
    if keep_earlier and environ.get('result') == FAILURE and environ.get('exception'):
        message = '%s (after: %s)' % (message, environ['exception'])
    environ['result'] = FAILURE
    environ['exception'] = message
    environ['traceback'] = ''.join(
        traceback.format_exception(type(exc), exc, exc.__traceback__))


def main(argv=None):
    """``sio-batch``: see :mod:`sio.workers.cli`."""
    from sio.workers.cli import main as cli_main

    return cli_main(argv)
