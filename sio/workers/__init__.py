"""sioworkers: run batch jobs described by one JSON object, the environ.

The public API:

* :func:`run` -- run the job an environ describes (:mod:`sio.workers.runner`);
* :class:`Failure` -- what a job raises for an expected, user-facing failure;
* :func:`required`, :func:`optional`, :func:`limit`, :func:`flag` -- read
  environ keys with errors that name the key (:mod:`sio.workers.keys`);
* :func:`current_job` -- what the running job may ask of the runner.
"""

from sio.workers.exceptions import Failure, JobTimeout, PluginError
from sio.workers.keys import flag, limit, optional, required
from sio.workers.context import current_job
from sio.workers.runner import run

__all__ = [
    'Failure', 'JobTimeout', 'PluginError', 'current_job', 'flag', 'limit',
    'optional', 'required', 'run',
]


def __getattr__(name):
    # The version is read from the installed distribution only when asked.
    if name == '__version__':
        from importlib.metadata import version

        return version('sioworkers')
    raise AttributeError('module %r has no attribute %r' % (__name__, name))
