"""A job of the worker, in a process of its own, and its answer.

The process (:mod:`sio.sioworkersd.jobprocess`) is a new Python
interpreter that runs one environ and ends.  It is in a session of its own,
so that a Ctrl-C at the worker's terminal reaches the worker only, which
then stops its jobs in order.  Stopping a job (:meth:`Job.stop`) sends its
process ``SIGTERM``, which the job turns into a clean stop, and kills it
after :data:`STOP_GRACE_SECONDS` when it has not ended by then.
"""

import asyncio
import json
import logging
import os
import signal
import sys
import time

from sio.sioworkersd import protocol

log = logging.getLogger(__name__)

#: How long a stopped job may take to clean up before it is killed (s).
STOP_GRACE_SECONDS = 10.0

JOB_PROCESS_SOURCE = 'from sio.sioworkersd.jobprocess import main; main()'


class JobError(Exception):
    """The job ended without a result, or with a ``FAILURE`` one:
    answered as an ``error`` with this message and ``traceback``."""

    def __init__(self, message, traceback=None):
        super().__init__(message)
        self.traceback = traceback


def _ended_how(returncode):
    if returncode is not None and returncode < 0:
        return 'killed by signal %d' % -returncode
    return 'exit status %s' % returncode


class Job:
    """One ``run`` call: ``await job.run()`` is the resulting environ (a
    ``SUCCESS``) or raises :class:`JobError`."""

    def __init__(self, environ):
        self.environ = environ
        self.task_id = environ.get('task_id')
        self.job_type = environ.get('job_type')
        self.process = None
        self.started = None
        self._stopping = False

    async def run(self):
        """Runs the job to its end, or until it is stopped (then the process
        has ended when this returns)."""
        if self._stopping:
            raise JobError('task %s was stopped before it started' % self.task_id)
        self.started = time.monotonic()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, '-c', JOB_PROCESS_SOURCE, str(os.getpid()),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                start_new_session=True)
        except OSError as e:
            raise JobError('cannot start the process of task %s: %s' % (self.task_id, e))
        try:
            output, _ = await self.process.communicate(
                json.dumps(self.environ).encode('utf-8'))
        finally:
            if self.process.returncode is None:  # cancelled: the caller is gone
                await self.stop()
        return self._outcome(output)

    def _outcome(self, output):
        if self._stopping:
            raise JobError('task %s was stopped (%s)'
                           % (self.task_id, _ended_how(self.process.returncode)))
        try:
            environ = json.loads(output.decode('utf-8'))
        except ValueError:
            environ = None
        if not isinstance(environ, dict):
            raise JobError('the process of task %s ended without a result (%s)'
                           % (self.task_id, _ended_how(self.process.returncode)))
        if environ.get('result') != 'SUCCESS':
            raise JobError(str(environ.get('exception') or 'the job failed'),
                           environ.get('traceback'))
        return environ

    async def stop(self):
        """Stops the job's process and waits until it has ended."""
        self._stopping = True
        process = self.process
        if process is None or process.returncode is not None:
            return
        try:
            process.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), STOP_GRACE_SECONDS)
        except asyncio.TimeoutError:
            log.warning('task %s did not stop within %.0f s; killed',
                        self.task_id, STOP_GRACE_SECONDS)
            _kill_group(process.pid)
            await process.wait()


def _kill_group(pgid):
    """Kills the job's process and its process group, which it leads (only
    while it is not reaped yet: then the group's id is surely still its)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


async def answer(call_id, job):
    """The message that answers ``run``: ``result`` with the environ, or
    ``error`` for a job that failed (as sioworkersd's original workers
    answer a job that raised)."""
    try:
        environ = await job.run()
    except JobError as e:
        return protocol.error(call_id, protocol.EXCEPTION, str(e), e.traceback or '')
    except Exception as e:  # a fault of the worker: still an answer
        import traceback

        log.exception('task %s failed in the worker', job.task_id)
        return protocol.error(call_id, protocol.EXCEPTION, repr(e), traceback.format_exc())
    return protocol.result(call_id, environ)
