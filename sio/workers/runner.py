"""The whole flow of a job.

environ in -> prefilters -> job, in a fresh temporary directory ->
postfilters -> environ out, with ``result`` (and on failure ``exception``
and ``traceback``) recorded.  Each stage hands the environ it returns to
the next; a failing stage hands on the last environ it was given.

This module is on the start-up path of every ``sio-batch`` call, so it
imports only what the common case needs; the rest is imported where used.
"""

import os

from sio.workers import _tempdir, context, plugins
from sio.workers.context import current_job  # noqa: F401  (part of this API)
from sio.workers.defaults import FAILURE, FILTERS_GROUP, JOBS_GROUP, SUCCESS
from sio.workers.exceptions import Failure, JobTimeout

try:
    from _thread import RLock
except ImportError:  # pragma: no cover
    from threading import RLock

# The current directory belongs to the whole process, so jobs run one at a
# time per process; the lock is reentrant so that a job may run() another.
_lock = RLock()


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
        record_failure(failed, Failure(
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
    saved_mask = _tempdir.hold_signals()  # see sio.workers._tempdir
    try:
        work_dir = _tempdir.make()
    except OSError as e:
        _tempdir.release_signals(saved_mask)
        record_failure(environ, Failure(
            'cannot create the job\'s temporary directory: %s' % e))
        return environ
    job = context.JobContext(environ.get('job_type'), caller_dir, work_dir)
    context.enter(job)
    try:
        os.chdir(work_dir)
        _tempdir.release_signals(saved_mask)
        environ = _run_stages(environ, job)
    finally:
        _tempdir.hold_signals()
        context.leave()
        try:
            os.chdir(caller_dir or '/')
        except OSError:
            os.chdir('/')
        try:
            _tempdir.remove(work_dir)
        finally:
            _tempdir.release_signals(saved_mask)
    return environ


def _run_stages(environ, job):
    environ, error = _prefilters_and_job(environ, job)
    if error is None:
        environ['result'] = SUCCESS
    else:
        record_failure(environ, error)
    environ, error = _apply_filters(environ, 'postfilter')
    if isinstance(error, JobTimeout):
        raise error  # an outer job's deadline: let that job record it
    if error is not None:
        record_failure(environ, error, keep_earlier=True)
    return environ


def _prefilters_and_job(environ, job):
    """(the last environ handed on, the exception that stopped it or None)."""
    try:
        timeout_ms = _job_timeout(environ)
    except Failure as e:
        return environ, e
    deadline = None
    if timeout_ms is None:
        environ, error = _prefilters_then_job(environ)
    else:
        from sio.workers.timeouts import Deadline

        job.deadline = deadline = Deadline(timeout_ms / 1000.0)
        try:
            with deadline:
                environ, error = _prefilters_then_job(environ)
        except JobTimeout as e:
            error = e
    if isinstance(error, JobTimeout):
        if deadline is None or not deadline.expired():
            raise error  # an outer job's deadline: let that job record it
        error = Failure('job %r exceeded job_timeout of %s ms and was stopped'
                        % (environ.get('job_type'), timeout_ms))
    return environ, error


def _prefilters_then_job(environ):
    environ, error = _apply_filters(environ, 'prefilter')
    if error is not None:
        return environ, error
    try:
        job_type = environ.get('job_type')
        if job_type is None:
            raise Failure("the environ has no key 'job_type' (the name of the job to run)")
        if not isinstance(job_type, str):
            raise Failure("key 'job_type' must be a string naming a job, not %r"
                          % (job_type,))
        job = plugins.load(JOBS_GROUP, job_type)
        return _checked(job(environ), 'job %r' % job_type), None
    except (Exception, SystemExit, JobTimeout) as e:
        return environ, e


def _apply_filters(environ, kind):
    """The environ after the filters in ``environ[kind + 's']``, and the
    exception of the one that failed (the rest are skipped) or None."""
    names = environ.get(kind + 's')
    if names is None:
        return environ, None
    if isinstance(names, str):
        names = names.split()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return environ, Failure('key %r must be a list of filter names, not %r'
                                % (kind + 's', names))
    for name in names:
        try:
            function = plugins.load(FILTERS_GROUP, name)
            environ = _checked(function(environ), '%s %r' % (kind, name))
        except JobTimeout as e:
            return environ, e
        except (Exception, SystemExit) as e:
            failure = Failure('%s %r failed: %s' % (kind, name, _describe(e)))
            failure.__cause__ = e
            return environ, failure
    return environ, None


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


def record_failure(environ, exc, keep_earlier=False):
    """Records ``exc`` in ``environ``: ``result`` FAILURE, ``exception`` (its
    message; with ``keep_earlier``, an earlier failure's message after it)
    and ``traceback``."""
    import traceback

    message = _describe(exc)
    if keep_earlier and environ.get('result') == FAILURE and environ.get('exception'):
        message = '%s (after: %s)' % (message, environ['exception'])
    environ['result'] = FAILURE
    environ['exception'] = message
    environ['traceback'] = ''.join(
        traceback.format_exception(type(exc), exc, exc.__traceback__))
