"""The filetracker client behind :mod:`sio.workers.ft`: made, cached, bounded.

The ``filetracker`` package is optional; it is imported only when a job
really names remote files.  Its HTTP calls pass no timeout, so a server
that accepts a connection and then stays silent would hang a job forever;
:func:`_bound_requests` gives every call of its remote store a timeout.
"""

import contextlib
import threading

from sio.workers import defaults
from sio.workers.exceptions import Failure

_clients = {}  # (url, cache_dir) -> filetracker Client
_clients_lock = threading.Lock()
_bounded = False

INSTALL_HINT = ("the Python package 'filetracker' is not installed; install it with "
                "pip install 'sioworkers[filetracker]'")


def import_filetracker():
    """``(Client, FiletrackerError)``; a :class:`Failure` saying what to install."""
    try:
        from filetracker.client import Client, FiletrackerError
    except ImportError as e:
        raise Failure('%s (%s)' % (INSTALL_HINT, e)) from None
    _bound_requests()
    return Client, FiletrackerError


def request_timeout():
    """Seconds a request may wait for the server: the configured timeout,
    shortened to what is left of the running job's ``job_timeout``."""
    from sio.workers.timeouts import time_left

    seconds = defaults.filetracker_timeout()
    left = time_left()
    if left is not None:
        seconds = max(0.001, min(seconds, left))
    return seconds


class _RequestsWithTimeout:
    """Stands in for the ``requests`` module inside filetracker's remote store."""

    def __init__(self, requests_module):
        self._requests = requests_module
        self.exceptions = requests_module.exceptions

    def __getattr__(self, name):
        return getattr(self._requests, name)

    def _call(self, method, *args, **kwargs):
        kwargs.setdefault('timeout', request_timeout())
        return getattr(self._requests, method)(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call('get', *args, **kwargs)

    def head(self, *args, **kwargs):
        return self._call('head', *args, **kwargs)

    def put(self, *args, **kwargs):
        return self._call('put', *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call('delete', *args, **kwargs)


def _bound_requests():
    global _bounded
    if _bounded:
        return
    from filetracker.client import remote_data_store

    if not isinstance(remote_data_store.requests, _RequestsWithTimeout):
        remote_data_store.requests = _RequestsWithTimeout(remote_data_store.requests)
    _bounded = True


class _DebugLog:
    """A text stream whose lines become debugging records of the log."""

    def __init__(self):
        import logging

        self.logger = logging.getLogger('filetracker')
        self.pending = ''

    def write(self, text):
        self.pending += text
        *lines, self.pending = self.pending.split('\n')
        for line in lines:
            if line.strip():
                self.logger.debug('%s', line)
        return len(text)

    def flush(self):
        pass


@contextlib.contextmanager
def chatter_to_debug_log():
    """What the filetracker client prints (``Settled for protocol version
    2`` on its first upload) goes to the debugging log, not standard output."""
    stream = _DebugLog()
    with contextlib.redirect_stdout(stream):
        yield
    stream.write('\n')


def client_for(url, cache_dir=None):
    """The cached client talking to ``url`` with the local cache ``cache_dir``."""
    Client, _ = import_filetracker()
    cache_dir = cache_dir or defaults.filetracker_cache_dir()
    key = (url, cache_dir)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            try:
                client = Client(remote_url=url, cache_dir=cache_dir)
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
    if isinstance(cause, requests.exceptions.Timeout):
        return 'the server does not answer (no reply within %g s)' % request_timeout()
    if isinstance(cause, requests.exceptions.ConnectionError):
        text = str(cause)
        if 'refused' in text.lower():
            return 'the server does not answer (connection refused)'
        return 'the server cannot be reached (%s)' % text.splitlines()[0][:200]
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if text.startswith('HTTP/404'):
        return 'no such file on the server'
    return text[:300]


def is_missing(exc):
    return str(exc).startswith('HTTP/404') or str(exc).startswith('File not available')


def client_errors():
    """The exception types a filetracker call raises for storage problems."""
    import requests

    _, FiletrackerError = import_filetracker()
    return (FiletrackerError, requests.exceptions.RequestException, OSError, ValueError)
