"""The filetracker client behind :mod:`sio.workers.ft`: made, cached, bounded.

The ``filetracker`` package is optional; it is imported only when a job
really names remote files.  The client is filetracker's own (its local
cache and locks) with :class:`sio.workers._ftremote.RemoteStore` as its
remote store, which gives every request to the server a timeout:
:func:`request_timeout`.
"""

import threading

from sio.workers import defaults
from sio.workers.exceptions import Failure

_clients = {}  # (url, cache_dir) -> filetracker Client
_clients_lock = threading.Lock()

INSTALL_HINT = ("the Python package 'filetracker' is not installed; install it with "
                "pip install 'sioworkers[filetracker]'")


def import_filetracker():
    """``(Client, FiletrackerError)``; a :class:`Failure` saying what to install."""
    try:
        from filetracker.client import Client, FiletrackerError
    except ImportError as e:
        raise Failure('%s (%s)' % (INSTALL_HINT, e)) from None
    return Client, FiletrackerError


#: How long after a job's deadline its requests stop waiting: the deadline
#: fires first and the job ends as a ``job_timeout`` failure, not as a
#: silent server.
AFTER_DEADLINE = 0.5


def request_timeout():
    """Seconds a request may wait for the server: the configured timeout,
    cut short to a moment after the running job's ``job_timeout`` ends.

    In the main thread the deadline's signal interrupts a blocked read;
    in another thread it is an exception that waits until the thread
    runs Python code again, so the read itself must end soon after."""
    from sio.workers.timeouts import time_left

    seconds = defaults.filetracker_timeout()
    left = time_left()
    if left is not None:
        seconds = min(seconds, left + AFTER_DEADLINE)
    return seconds


def client_for(url, cache_dir=None):
    """The cached client talking to ``url`` with the local cache ``cache_dir``."""
    Client, _ = import_filetracker()
    from sio.workers._ftremote import RemoteStore

    cache_dir = cache_dir or defaults.filetracker_cache_dir()
    key = (url, cache_dir)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            try:
                client = Client(remote_store=RemoteStore(url, request_timeout),
                                cache_dir=cache_dir)
            except OSError as e:
                raise Failure('cannot use %r as the filetracker cache directory: %s'
                              % (cache_dir, e)) from e
            _clients[key] = client
        return client


def remote_url(client):
    store = getattr(client, 'remote_store', None)
    return getattr(store, 'base_url', None) or 'the local filetracker store'


def describe(exc):
    """A one-line reason for a failed filetracker call."""
    import requests

    cause = exc
    while cause is not None and not isinstance(cause, requests.exceptions.RequestException):
        cause = cause.__context__
    if cause is not None:
        text = str(cause)
        # A read that times out halfway through an answer comes as a
        # ConnectionError saying "Read timed out".
        if isinstance(cause, requests.exceptions.Timeout) or 'timed out' in text.lower():
            return 'the server does not answer (no reply within %g s)' % request_timeout()
        if 'refused' in text.lower():
            return 'the server does not answer (connection refused)'
        if isinstance(cause, requests.exceptions.ConnectionError):
            return 'the server cannot be reached (%s)' % text.splitlines()[0][:200]
    if is_missing(exc):
        return 'no such file on the server'
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return text[:300]


def is_missing(exc):
    """Whether ``exc`` says the file is not there: the server's 404 (from
    our store, or from filetracker's own), or no store has it."""
    text = str(exc)
    return (getattr(exc, 'status', None) == 404 or text.startswith('HTTP/404')
            or text.startswith('File not available'))


def client_errors():
    """The exception types a filetracker call raises for storage problems."""
    import requests

    _, FiletrackerError = import_filetracker()
    return (FiletrackerError, requests.exceptions.RequestException, OSError, ValueError)
