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
