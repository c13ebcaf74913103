"""Defaults and names defined once for the whole project."""

import os

#: Values of ``environ['result']``.
SUCCESS = 'SUCCESS'
FAILURE = 'FAILURE'

#: Entry-point groups.
JOBS_GROUP = 'sio.jobs'
FILTERS_GROUP = 'sio.workers.filters'
COMPILERS_GROUP = 'sio.compilers'
#: Every entry-point group whose name starts with this is indexed.
GROUP_PREFIX = 'sio.'

#: Human names of the groups, for listings and messages.
GROUP_TITLES = {
    JOBS_GROUP: 'job',
    FILTERS_GROUP: 'filter',
    COMPILERS_GROUP: 'compiler',
}


def cache_dir():
    """The directory where sioworkers keeps caches between processes.

    ``SIO_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/sioworkers``, else
    ``~/.cache/sioworkers``.
    """
    configured = os.environ.get('SIO_CACHE_DIR')
    if configured:
        return configured
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache'
    )
    return os.path.join(base, 'sioworkers')


#: Remote file storage (see :mod:`sio.workers.ft`).
FILETRACKER_URL_VARIABLE = 'FILETRACKER_URL'
FILETRACKER_PUBLIC_URL_VARIABLE = 'FILETRACKER_PUBLIC_URL'
FILETRACKER_CACHE_VARIABLE = 'SIO_FILETRACKER_CACHE'
FILETRACKER_TIMEOUT_VARIABLE = 'SIO_FILETRACKER_TIMEOUT'
#: Seconds a filetracker server may stay silent before a request fails.
FILETRACKER_TIMEOUT = 20.0
#: Where ``sio-run-filetracker`` listens when no URL is configured.
FILETRACKER_DEFAULT_URL = 'http://127.0.0.1:9999'

#: Sandboxes (see :mod:`sio.workers.sandbox`).
SANDBOXES_DIR_VARIABLE = 'SIO_SANDBOXES_DIR'
SANDBOXES_REMOTE_DIR = '/sandboxes'


def filetracker_cache_dir():
    """The filetracker client's local cache: ``SIO_FILETRACKER_CACHE``, else
    ``filetracker`` under :func:`cache_dir`."""
    return os.environ.get(FILETRACKER_CACHE_VARIABLE) or os.path.join(
        cache_dir(), 'filetracker')


def sandboxes_dir():
    """Where sandboxes are unpacked: ``SIO_SANDBOXES_DIR``, else
    ``sandboxes`` under :func:`cache_dir`."""
    return os.environ.get(SANDBOXES_DIR_VARIABLE) or os.path.join(
        cache_dir(), 'sandboxes')


def number_from_env(variable, default, kind, valid, expected):
    """The environment variable ``variable`` read as ``kind`` (``int`` or
    ``float``), ``default`` when unset or empty; a :class:`Failure` saying
    it must be ``expected`` when it does not parse or ``valid`` refuses it."""
    text = os.environ.get(variable)
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not valid(value):
        from sio.workers.exceptions import Failure

        raise Failure('the environment variable %s must be %s, not %r'
                      % (variable, expected, text))
    return value


def filetracker_timeout():
    """Seconds a filetracker server may stay silent: ``SIO_FILETRACKER_TIMEOUT``."""
    return number_from_env(FILETRACKER_TIMEOUT_VARIABLE, FILETRACKER_TIMEOUT, float,
                           lambda seconds: seconds > 0, 'a positive number of seconds')
