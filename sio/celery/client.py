"""Sending environs to Celery workers and getting the results back.

::

    from sio.celery import client

    result = client.run({'job_type': 'ping', 'ping': 'x'},
                        broker_url='redis://judge-broker:6379/0', timeout=60)

:func:`run` is :func:`submit` followed by :func:`wait`.  A job that failed,
was revoked, or was stopped by a Celery time limit comes back as an environ
with ``result: FAILURE`` and an ``exception`` saying what happened, like
any job that fails under :func:`sio.workers.run`.  What the client itself
cannot do raises a :class:`ClientError` with a message naming the broker
and what was expected: :class:`BrokerUnreachable` when the broker does not
answer within ``connect_timeout``, :class:`ResultBackendUnreachable` when
the result backend goes away while waiting, :class:`NoResult` when no
result came within ``timeout`` (the message says whether any worker
consumes the queue).
"""

import threading

from sio.celery import defaults
from sio.workers.defaults import FAILURE

_apps = {}
_apps_lock = threading.Lock()


class ClientError(Exception):
    """The client could not get a job run; the message says why."""


class BrokerUnreachable(ClientError):
    """The broker did not answer."""


class ResultBackendUnreachable(ClientError):
    """The result backend stopped answering while the client waited."""


class NoResult(ClientError):
    """No result arrived in time."""


def app_for(broker_url=None):
    """The Celery app for ``broker_url``, made once per URL.

    Without a URL, the configured app of :mod:`sio.celery.app`.
    """
    from sio.celery.app import app, make_app

    if not broker_url:
        return app
    with _apps_lock:
        if broker_url not in _apps:
            _apps[broker_url] = make_app(broker_url)
        return _apps[broker_url]


def _safe_url(app):
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(app.conf.broker_url or defaults.BROKER_URL)


def message_priority(environ, broker_url):
    """The Celery message priority for the environ's ``task_priority`` (as
    OIOIOI names it) or ``priority``, or ``None`` when it has neither.

    Higher values run first, as in sioworkersd; values are clamped to 0-9.
    RabbitMQ serves higher message priorities first, Redis lower ones, so
    the value is turned around for Redis.
    """
    from sio.celery.brokers import broker_kind

    key = 'task_priority' if 'task_priority' in environ else 'priority'
    value = environ.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError('the environ key %r must be a number (higher runs first), '
                        'not %r' % (key, value))
    urgency = max(defaults.LOWEST_PRIORITY, min(defaults.HIGHEST_PRIORITY, int(value)))
    if broker_kind(broker_url) == 'redis':
        return defaults.HIGHEST_PRIORITY - urgency
    return urgency


def submit(environ, broker_url=None, app=None, queue=None,
           connect_timeout=defaults.CONNECT_TIMEOUT, **options):
    """Sends ``environ`` to the workers; returns the Celery ``AsyncResult``.

    ``queue`` defaults to ``sioworkers``; further ``options`` are those of
    Celery's ``apply_async`` (``countdown``, ...).  The message priority
    comes from the environ (:func:`message_priority`) unless ``priority``
    is given here, in the broker's own terms.
    """
    from kombu.exceptions import EncodeError, OperationalError

    if not isinstance(environ, dict):
        raise TypeError('the environ must be a dict (a JSON object), not %s'
                        % type(environ).__name__)
    app = app or app_for(broker_url)
    if options.get('priority') is None:
        options['priority'] = message_priority(environ, app.conf.broker_url)
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(
                max_retries=None, interval_start=0.2, interval_step=0.5,
                interval_max=2, timeout=connect_timeout)
            return app.send_task(
                defaults.TASK_NAME, args=[environ], queue=queue or defaults.QUEUE,
                producer=producer, retry_policy={'max_retries': 2, 'interval_start': 0.2,
                              'interval_step': 0.5, 'interval_max': 1},
                **options)
    except EncodeError as e:
        raise TypeError('the environ cannot be sent as JSON: %s' % e) from e
    except (OperationalError, OSError) as e:
        raise BrokerUnreachable('cannot reach the Celery broker at %s within %ss: %s'
                                % (_safe_url(app), connect_timeout, e)) from e


def _workers_on_queue(app, queue):
    """Names of the workers consuming ``queue``; ``None`` if unknown."""
    try:
        replies = app.control.inspect(timeout=1.0).active_queues() or {}
    except Exception:  # only used to word an error message
        return None
    return sorted(name for name, queues in replies.items()
                  if any(q.get('name') == queue for q in queues or ()))


def _no_result_message(async_result, timeout, queue):
    app = async_result.app
    try:
        state = async_result.state
    except Exception:
        state = 'unknown'
    workers = _workers_on_queue(app, queue)
    if workers is None:
        who = 'could not ask the workers which queues they consume'
    elif not workers:
        who = 'no worker consumes queue %r on %s' % (queue, _safe_url(app))
    else:
        who = 'workers consuming queue %r: %s' % (queue, ', '.join(workers))
    return ('no result for job %s within %ss (state %s); %s'
            % (async_result.id, timeout, state, who))


def _connection_errors(async_result):
    from kombu.exceptions import OperationalError

    backend_errors = getattr(async_result.backend, 'connection_errors', ())
    return (OSError, OperationalError, RuntimeError) + tuple(backend_errors)


def _stop_listening(async_result):
    # Now, while the backend answers, rather than when the result is
    # garbage-collected, maybe after the backend has gone.
    try:
        async_result.backend.remove_pending_result(async_result)
    except Exception:
        pass


def _failed_environ(environ, message):
    failed = dict(environ or {})
    failed['result'] = FAILURE
    failed['exception'] = message
    failed.setdefault('traceback', '')
    return failed


def wait(async_result, timeout=None, on_progress=None, environ=None,
         queue=None):
    """The resulting environ of a submitted job.

    ``on_progress(meta)`` is called with the details of each progress
    report of the job (see :mod:`sio.celery.progress`).  ``environ`` (the
    one submitted) is the base of the environ returned when the task itself
    failed.  Raises :class:`NoResult` after ``timeout`` seconds.
    """
    from celery.exceptions import TimeoutError as CeleryTimeout

    def on_message(meta):
        if on_progress and meta.get('status') == defaults.PROGRESS_STATE:
            on_progress(meta.get('result'))

    try:
        value = async_result.get(timeout=timeout, propagate=False,
                                 interval=defaults.POLL_INTERVAL,
                                 on_message=on_message if on_progress else None)
    except CeleryTimeout:
        message = _no_result_message(async_result, timeout, queue or defaults.QUEUE)
        _stop_listening(async_result)
        raise NoResult(message) from None
    except _connection_errors(async_result) as e:
        _stop_listening(async_result)
        raise ResultBackendUnreachable(
            'lost the result backend of %s while waiting for job %s: %s'
            % (_safe_url(async_result.app), async_result.id, e)) from e
    state = async_result.state
    if state == 'SUCCESS' and isinstance(value, dict):
        return value
    if state == 'REVOKED':
        return _failed_environ(environ, 'the job was revoked (task %s)' % async_result.id)
    if type(value).__name__ == 'TimeLimitExceeded':
        return _failed_environ(environ, 'the job was stopped by its Celery time limit '
                               '(TimeLimitExceeded after %ss; task %s)'
                               % (_first_arg(value), async_result.id))
    return _failed_environ(environ, 'the Celery task of the job failed (state %s): %s: %s'
                           % (state, type(value).__name__, value))


def _first_arg(exc):
    return exc.args[0] if getattr(exc, 'args', None) else '?'


def run(environ, broker_url=None, app=None, timeout=None, on_progress=None,
        connect_timeout=defaults.CONNECT_TIMEOUT, queue=None, **options):
    """Runs ``environ`` on a worker and returns the resulting environ."""
    async_result = submit(environ, broker_url=broker_url, app=app, queue=queue,
                          connect_timeout=connect_timeout, **options)
    return wait(async_result, timeout=timeout, on_progress=on_progress,
                environ=environ, queue=queue)
