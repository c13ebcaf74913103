"""One TCP connection to sioworkersd, read and written message by message.

A message that cannot be used (not JSON, not an object, an unknown
``type``, over the size bound) is logged and dropped, and reading goes on.
Bytes that are not netstrings at all cannot be read any further: that ends
the connection, as does the server closing it.
"""

import asyncio
import collections
import logging
import socket

from sio.sioworkersd import protocol

log = logging.getLogger(__name__)

READ_SIZE = 65536
#: TCP keep-alive: a server machine that vanished without closing the
#: connection is noticed after about IDLE + INTERVAL * COUNT seconds.
KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 60, 10, 6


class ConnectionClosed(Exception):
    """The connection is gone (the message says why)."""


def _keep_alive(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in (('TCP_KEEPIDLE', KEEPALIVE_IDLE),
                        ('TCP_KEEPINTVL', KEEPALIVE_INTERVAL),
                        ('TCP_KEEPCNT', KEEPALIVE_COUNT)):
        if hasattr(socket, name):
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)


class Connection:
    """Messages in and out of one connection (see :mod:`~sio.sioworkersd.protocol`)."""

    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.peer = '%s:%s' % writer.get_extra_info('peername')[:2]
        self._decoder = protocol.NetstringDecoder()
        self._payloads = collections.deque()

    @classmethod
    async def open(cls, host, port, timeout):
        """Connects to ``host:port`` (``OSError`` or ``TimeoutError`` when it
        cannot)."""
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, limit=READ_SIZE), timeout)
        _keep_alive(writer.get_extra_info('socket'))
        return cls(reader, writer)

    async def receive(self):
        """The next usable message (a dict); :class:`ConnectionClosed` when
        there will be none."""
        while True:
            while self._payloads:
                item = self._payloads.popleft()
                if isinstance(item, protocol.Oversized):
                    log.warning('skipped a message of %d bytes from %s: over the '
                                'bound of %d bytes', item.length, self.peer,
                                protocol.MAX_MESSAGE_BYTES)
                    continue
                try:
                    return protocol.decode(item)
                except protocol.BadMessage as e:
                    log.warning('dropped a message from %s: %s', self.peer, e)
            self._payloads.extend(await self._read())

    async def _read(self):
        try:
            data = await self.reader.read(READ_SIZE)
        except OSError as e:
            raise ConnectionClosed('%s: %s' % (self.peer, e))
        if not data:
            raise ConnectionClosed('%s closed the connection' % self.peer)
        try:
            return self._decoder.feed(data)
        except protocol.FramingError as e:
            log.error('%s sent a broken stream (%s); closing the connection', self.peer, e)
            self.close()
            raise ConnectionClosed('%s: %s' % (self.peer, e))

    def send(self, message):
        """Sends ``message`` (the messages are small and few: they are
        buffered, not waited for); :class:`~sio.sioworkersd.protocol.TooLarge`
        when it is over the size bound.  Once the connection is gone,
        nothing is sent, quietly: :meth:`receive` reports it."""
        data = protocol.encode(message)
        if not self.writer.is_closing():
            self.writer.write(data)

    def close(self):
        self.writer.close()

    async def wait_closed(self):
        try:
            await self.writer.wait_closed()
        except OSError:
            pass
