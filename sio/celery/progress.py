"""Progress of a long job, shown in the Celery state of its task.

A job calls :func:`report_progress` whenever it has something to say; on a
Celery worker the task's state becomes ``PROGRESS`` with the given details
as its metadata, which :func:`sio.celery.client.wait` hands to its
``on_progress`` callback.  Elsewhere (``sio-batch``, a plain
:func:`~sio.workers.run`) the call does nothing, so a job may always make
it.  This module does not import Celery.
"""

from sio.celery.defaults import PROGRESS_STATE

# The bound Celery task running the current job, set by sioworkers_job.
_current_task = None


def report_progress(done=None, total=None, **details):
    """Publishes the progress of the running job; returns whether it was.

    ``done`` and ``total`` (e.g. tests judged out of tests to judge) and any
    further JSON-serialisable ``details`` form the task's metadata.
    """
    task = _current_task
    if task is None:
        return False
    meta = dict(details)
    if done is not None:
        meta['done'] = done
    if total is not None:
        meta['total'] = total
    task.update_state(state=PROGRESS_STATE, meta=meta)
    return True


def _set_current_task(task):
    global _current_task
    previous, _current_task = _current_task, task
    return previous
