"""The calls of one connection to sioworkersd, and the jobs they started.

sioworkersd calls two methods:

``get_running()``
    the ``task_id`` of every job this connection started and has not
    answered yet (sioworkersd asks right after the handshake, within 5 s,
    and rejects a worker that is still busy).
``run(environ)``
    runs the job; the answer comes when it ends.  At most ``concurrency``
    jobs run at once; further ones wait for a free slot.  A ``cpu-exec``
    job runs alone, and only on a worker that said ``can_run_cpu_exec``
    (sioworkersd schedules it so; a call that breaks the rule is refused
    with an ``error``, as by the original worker).

Any other method is answered with the error ``method_not_found``.  When the
connection is gone, its jobs are stopped: nobody is left to take their
answers, and sioworkersd hands them to another worker.
"""

import asyncio
import logging
import time

from sio.sioworkersd import jobs, protocol
from sio.sioworkersd.connection import ConnectionClosed

log = logging.getLogger(__name__)

CPU_EXEC = 'cpu-exec'


def _short(value, length=100):
    """``repr(value)``, cut to about ``length`` characters for a message."""
    text = repr(value)
    return text if len(text) <= length else text[:length] + '...'


class Refused(Exception):
    """A call that cannot be carried out: answered with this ``error``."""


class WorkerInfo:
    """What the worker says of itself in its ``hello``."""

    def __init__(self, name, concurrency=1, ram_mb=1024, can_run_cpu_exec=False):
        self.name = name
        self.concurrency = concurrency
        self.ram_mb = ram_mb
        self.can_run_cpu_exec = can_run_cpu_exec

    def hello(self):
        return protocol.hello(self.name, self.concurrency, self.ram_mb,
                              self.can_run_cpu_exec)


class Session:
    """Answers the calls of one connection (``await serve()``) until it is
    gone, then stops the jobs it started."""

    def __init__(self, connection, info):
        self.connection = connection
        self.info = info
        self.jobs = {}  # task_id -> (Job, its asyncio task)
        self._slots = asyncio.Semaphore(info.concurrency)

    async def handshake(self, timeout):
        """``hello``, then waits for ``hello_ack``."""
        self.connection.send(self.info.hello())
        try:
            message = await asyncio.wait_for(self.connection.receive(), timeout)
        except asyncio.TimeoutError:
            raise ConnectionClosed('no hello_ack from %s within %d s'
                                   % (self.connection.peer, timeout))
        if message['type'] != 'hello_ack':
            raise ConnectionClosed('%s answered hello with %r, not hello_ack'
                                   % (self.connection.peer, message['type']))

    async def serve(self):
        try:
            while True:
                self._dispatch(await self.connection.receive())
        finally:
            await self.stop_jobs()

    def _dispatch(self, message):
        if message['type'] != 'call':
            log.warning('ignored a %r message from %s (the worker makes no calls '
                        'and has had its hello_ack)', message['type'], self.connection.peer)
            return
        if 'id' not in message:
            log.warning('ignored a call without an id from %s: %s',
                        self.connection.peer, _short(message))
            return
        call_id, method, args = message['id'], message.get('method'), message.get('args', [])
        handler, arity = {'get_running': (self._get_running, 0),
                          'run': (self._run, 1)}.get(method, (None, None))
        if handler is None:
            log.warning('%s called the unknown method %r', self.connection.peer, method)
            self._send(protocol.error(call_id, protocol.METHOD_NOT_FOUND, method))
            return
        try:
            if not isinstance(args, list) or len(args) != arity:
                raise Refused('%s takes a list of %d args, not %s'
                              % (method, arity, _short(args)))
            handler(call_id, *args)
        except Refused as e:
            log.warning('refused call %r (%s) from %s: %s', call_id, method,
                        self.connection.peer, e)
            self._send(protocol.error(call_id, protocol.EXCEPTION, str(e), ''))

    def _send(self, message):
        try:
            self.connection.send(message)
        except protocol.TooLarge as e:
            log.error('answered call %r with an error: its answer is too large (%s)',
                      message['id'], e)
            self.connection.send(protocol.error(
                message['id'], protocol.EXCEPTION, 'the answer is too large: %s' % e, ''))

    def _get_running(self, call_id):
        self._send(protocol.result(call_id, list(self.jobs)))

    def _run(self, call_id, environ):
        self._check_run(environ)
        job = jobs.Job(environ)
        task = asyncio.ensure_future(self._run_job(call_id, job))
        self.jobs[job.task_id] = (job, task)

    def _check_run(self, environ):
        if not isinstance(environ, dict):
            raise Refused('run takes an environ (a JSON object), not %s' % _short(environ))
        if 'task_id' not in environ:
            raise Refused('the environ of a run has no task_id')
        task_id, job_type = environ['task_id'], environ.get('job_type')
        if not isinstance(task_id, (str, int)) or isinstance(task_id, bool):
            raise Refused('task_id must be a string or a number, not %s' % _short(task_id))
        if task_id in self.jobs:
            raise Refused('task %s is running already' % task_id)
        if any(job.job_type == CPU_EXEC for job, _ in self.jobs.values()):
            raise Refused('sent a job to a worker running a cpu-exec job')
        if job_type == CPU_EXEC and not self.info.can_run_cpu_exec:
            raise Refused('sent a cpu-exec job to a worker that does not run them '
                          '(started without --can-run-cpu-exec)')
        if job_type == CPU_EXEC and self.jobs:
            raise Refused('sent a cpu-exec job to a busy worker')

    async def _run_job(self, call_id, job):
        try:
            async with self._slots:
                log.info('running %s %s', job.job_type, job.task_id)
                answer = await jobs.answer(call_id, job)
        except asyncio.CancelledError:
            log.warning('stopped %s %s: its connection is gone', job.job_type, job.task_id)
            raise
        finally:
            del self.jobs[job.task_id]
        log.info('%s %s done in %.2f s: %s', job.job_type, job.task_id,
                 time.monotonic() - (job.started or time.monotonic()), answer['type'])
        self._send(answer)

    async def stop_jobs(self):
        """Stops every job of this connection; returns when they have ended."""
        tasks = [task for _, task in self.jobs.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
