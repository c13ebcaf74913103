"""The worker: connected to sioworkersd until it is stopped.

When the connection cannot be made, or is lost (sioworkersd restarted, the
network dropped it, the server sent bytes that are not netstrings), the
jobs it started are stopped and the worker connects again after a delay
that doubles from :data:`FIRST_DELAY` up to :data:`MAX_DELAY` seconds (with
a little randomness, so that many workers do not all come back at the same
moment).  The delay starts over after a connection that lasted
:data:`STEADY_SECONDS`: one that sioworkersd refuses right after the
handshake (say, for a duplicate name) is retried ever more slowly.

:meth:`Worker.stop` (the command line calls it on ``SIGTERM`` and
``SIGINT``) closes the connection at once, so that no more jobs come and
sioworkersd hands the unanswered ones to other workers, stops the running
jobs cleanly and ends :meth:`Worker.run`.
"""

import asyncio
import logging
import random
import time

from sio.sioworkersd.connection import Connection, ConnectionClosed
from sio.sioworkersd.session import Session

log = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 60.0
STEADY_SECONDS = 30.0
CONNECT_TIMEOUT = 30.0
HANDSHAKE_TIMEOUT = 30.0


def reconnect_delay(failures):
    """Seconds to wait after ``failures`` short-lived connections in a row."""
    delay = min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures, 16))
    return delay * random.uniform(0.9, 1.1)


class Worker:
    """A worker of the sioworkersd at ``host:port``, described by ``info``
    (a :class:`~sio.sioworkersd.session.WorkerInfo`)."""

    def __init__(self, host, port, info):
        self.host = host
        self.port = port
        self.info = info
        self._stopping = None
        self._opening = None
        self._connection = None

    @property
    def address(self):
        return '%s:%d' % (self.host, self.port)

    async def run(self):
        """Serves sioworkersd until :meth:`stop`; reconnects when needed."""
        self._stopping = asyncio.Event()
        failures = 0
        while not self._stopping.is_set():
            lasted = await self._serve_one_connection()
            failures = 0 if lasted >= STEADY_SECONDS else failures + 1
            if self._stopping.is_set():
                break
            delay = reconnect_delay(failures - 1)
            log.info('connecting to %s again in %.1f s', self.address, delay)
            try:
                await asyncio.wait_for(self._stopping.wait(), delay)
            except asyncio.TimeoutError:
                pass
        log.info('stopped')

    async def _serve_one_connection(self):
        """Seconds the connection was established (0 when it never was)."""
        connection = await self._open()
        if connection is None:
            return 0.0
        session = Session(connection, self.info)
        established = None
        try:
            await session.handshake(HANDSHAKE_TIMEOUT)
            established = time.monotonic()
            log.info('joined sioworkersd at %s as %r', connection.peer, self.info.name)
            await session.serve()
        except ConnectionClosed as e:
            if not self._stopping.is_set():
                log.warning('lost the connection: %s', e)
        except Exception:
            log.exception('closing the connection to %s after an error of the worker',
                          connection.peer)
        finally:
            self._connection = None
            connection.close()
            await session.stop_jobs()
            await connection.wait_closed()
        return 0.0 if established is None else time.monotonic() - established

    async def _open(self):
        self._opening = asyncio.ensure_future(
            Connection.open(self.host, self.port, CONNECT_TIMEOUT))
        try:
            self._connection = await self._opening
            return self._connection
        except asyncio.CancelledError:
            if not self._stopping.is_set():
                raise
        except (OSError, asyncio.TimeoutError) as e:
            log.warning('cannot connect to sioworkersd at %s: %s', self.address,
                        e or type(e).__name__)
        finally:
            self._opening = None
        return None

    def stop(self):
        """Stops taking jobs and stops the running ones (see the module)."""
        if self._stopping is None or self._stopping.is_set():
            return
        log.info('stopping: closing the connection and stopping the running jobs')
        self._stopping.set()
        if self._opening is not None:
            self._opening.cancel()
        if self._connection is not None:
            self._connection.close()
