"""The exceptions of sioworkers."""


class Failure(Exception):
    """An expected, user-facing failure of a job.

    Raise it with a message that names the key, file or value at fault and
    what was expected; :func:`sio.workers.runner.run` records the message
    verbatim in ``environ['exception']``.
    """


class PluginError(Failure):
    """An entry point (job, filter, compiler) is unknown or cannot be loaded."""


class JobTimeout(BaseException):
    """Raised inside a job that ran past its ``job_timeout``.

    It derives from :class:`BaseException` so that a job's own
    ``except Exception`` does not swallow it.
    """
