"""What a running job may ask about itself: :func:`current_job`.

The runner pushes a :class:`JobContext` for every job it runs (jobs may
nest: a job may ``run()`` another) and pops it when the job ends; storage
and the waiting programs read it, so nothing below the runner imports it.
"""

_jobs = []


class JobContext:
    """What a running job may ask of the runner (see :func:`current_job`)."""

    __slots__ = ('job_type', 'caller_dir', 'work_dir', 'deadline')

    def __init__(self, job_type, caller_dir, work_dir):
        self.job_type = job_type
        #: The directory :func:`~sio.workers.run` was called from: relative
        #: local paths in the environ are relative to it, not to the job's
        #: ``work_dir``.
        self.caller_dir = caller_dir
        #: The job's temporary directory (its current directory).
        self.work_dir = work_dir
        #: The job's :class:`~sio.workers.timeouts.Deadline`, if it has one.
        self.deadline = None

    def time_left(self):
        """Seconds left before ``job_timeout`` (of this or an outer job)."""
        from sio.workers.timeouts import time_left

        return time_left()


def current_job():
    """The :class:`JobContext` of the innermost running job, or ``None``."""
    return _jobs[-1] if _jobs else None


def enter(job):
    """Makes ``job`` the innermost running job."""
    _jobs.append(job)


def leave():
    """Ends the innermost running job."""
    _jobs.pop()
