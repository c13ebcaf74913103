"""The filetracker of a Celery worker: which one, why, and whether it answers.

A worker started without ``FILETRACKER_URL`` uses the filetracker on the
broker's host (:data:`sio.celery.defaults.FILETRACKER_PORT`), so that an
environ whose files are local paths, fine under ``sio-batch``, needs one
there.  When that filetracker does not answer, the worker says so in its
banner, and each job that failed for want of it gets, in its
``exception``, a note naming the URL, where the URL came from, and how to
run with local files.
"""

import http.client
import os
from urllib.parse import urlsplit

from sio.celery.brokers import filetracker_url_for
from sio.workers.defaults import FILETRACKER_URL_VARIABLE

#: Set by ``sio-celery-worker`` for its jobs: ``set`` or ``derived``.
ORIGIN_VARIABLE = 'SIO_CELERY_FILETRACKER_ORIGIN'
#: Seconds to wait for the filetracker when checking it.
CHECK_TIMEOUT = 2.0

_ORIGINS = {
    'set': 'set by %s' % FILETRACKER_URL_VARIABLE,
    'derived': "derived from the broker's host, as %s is not set" % FILETRACKER_URL_VARIABLE,
    'environ': "given by the environ key 'filetracker_url'",
}


def choose_for_worker(broker_url):
    """Sets ``FILETRACKER_URL`` from the broker's host unless it is set, and
    records where it came from for the worker's jobs."""
    if os.environ.get(FILETRACKER_URL_VARIABLE):
        os.environ[ORIGIN_VARIABLE] = 'set'
        return
    url = filetracker_url_for(broker_url)
    if url:
        os.environ[FILETRACKER_URL_VARIABLE] = url
        os.environ[ORIGIN_VARIABLE] = 'derived'


def worker_filetracker():
    """``(url, origin)`` of this worker's filetracker; ``(None, None)``."""
    url = os.environ.get(FILETRACKER_URL_VARIABLE) or None
    return url, (os.environ.get(ORIGIN_VARIABLE) or 'set') if url else None


def not_answering(url, timeout=CHECK_TIMEOUT):
    """Why the server at ``url`` does not answer HTTP, or ``None`` if it does."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        return 'not a URL (%s)' % e
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        return 'not an http:// URL'
    connection_class = (http.client.HTTPSConnection if parts.scheme == 'https'
                        else http.client.HTTPConnection)
    connection = connection_class(parts.hostname, port, timeout=timeout)
    try:
        connection.request('HEAD', parts.path or '/')
        connection.getresponse()
    except (OSError, http.client.HTTPException) as e:
        return getattr(e, 'strerror', None) or str(e) or type(e).__name__
    finally:
        connection.close()
    return None


def describe_failure(url, origin, reason):
    """One sentence: the URL, where it came from, why it fails, what to do."""
    return ('the filetracker at %s (%s) does not answer: %s; start one there, set %s '
            'to one that answers, or give the environ "use_filetracker": false to '
            'use local files' % (url, _ORIGINS.get(origin, origin), reason,
                                 FILETRACKER_URL_VARIABLE))


def banner_line():
    """What the banner says of the filetracker."""
    url, origin = worker_filetracker()
    if not url:
        return '(none)'
    reason = not_answering(url)
    if reason is None:
        return '%s (%s)' % (url, _ORIGINS.get(origin, origin))
    return 'NOT ANSWERING: ' + describe_failure(url, origin, reason)


def failure_note(environ):
    """For a failed job: a sentence about its filetracker if the job failed
    for want of one (its ``exception`` speaks of the filetracker) and that
    filetracker does not answer, else ``None``."""
    from sio.workers import ft
    from sio.workers.exceptions import Failure

    if 'filetracker' not in str(environ.get('exception') or '').lower():
        return None
    try:
        if not ft.filetracker_mode(environ):
            return None
        url = ft.configured_url(environ)
    except Failure:
        return None
    if not url:
        return None
    origin = 'environ' if environ.get('filetracker_url') else worker_filetracker()[1]
    reason = not_answering(url)
    return describe_failure(url, origin, reason) if reason else None
