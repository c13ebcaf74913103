"""The server side of sioworkersd's worker protocol, for the tests.

Written from the protocol as the original sioworkersd speaks it, not from
our worker: netstrings ``<length>:<bytes>,`` holding one JSON object each;
the worker says ``hello`` and the server answers ``hello_ack``; then the
server sends ``call`` messages ``{id, method, args}`` and the worker
answers each with ``result`` ``{id, result}`` or ``error`` ``{id, kind,
data[, traceback]}``.

The server listens on 127.0.0.1 and runs its asyncio loop in a thread of
its own; the tests drive it with blocking calls that take a timeout.
"""

import asyncio
import json
import queue
import threading

BOUND = 2 ** 20  # the largest message the original reads


def netstring(data):
    return str(len(data)).encode('ascii') + b':' + data + b','


class Link:
    """One worker's connection, as the server sees it."""

    def __init__(self, server, reader, writer):
        self.server = server
        self.reader = reader
        self.writer = writer
        self.hello = None
        self.messages = []  # what the worker sent after its hello
        self.gone = threading.Event()
        self._changed = threading.Condition()
        self._next_id = 100

    async def _read_one(self):
        length = await self.reader.readuntil(b':')
        body = await self.reader.readexactly(int(length[:-1]) + 1)
        assert body.endswith(b','), body[-20:]
        assert len(body) - 1 <= BOUND
        return json.loads(body[:-1].decode('utf-8'))

    async def _serve(self):
        try:
            self.hello = await self._read_one()
            self.server.links.put(self)
            while True:
                message = await self._read_one()
                with self._changed:
                    self.messages.append(message)
                    self._changed.notify_all()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self.writer.close()
            self.gone.set()
            with self._changed:
                self._changed.notify_all()

    def send_bytes(self, data):
        self.server.in_loop(self._write(data))

    async def _write(self, data):
        self.writer.write(data)
        await self.writer.drain()

    def send(self, message):
        self.send_bytes(netstring(json.dumps(message).encode('utf-8')))

    def ack(self):
        self.send({'type': 'hello_ack'})

    def start_call(self, method, *args):
        """Sends a call; its id."""
        self._next_id += 1
        self.send({'type': 'call', 'id': self._next_id, 'method': method,
                   'args': list(args)})
        return self._next_id

    def answer(self, call_id, timeout=60):
        """The worker's answer to call ``call_id``."""
        with self._changed:
            found = self._changed.wait_for(
                lambda: self._answer(call_id) or self.gone.is_set(), timeout)
            answer = self._answer(call_id)
        assert answer is not None, 'no answer to call %s (%s)' % (
            call_id, 'the connection is gone' if found else 'timed out')
        return answer

    def _answer(self, call_id):
        return next((m for m in self.messages if m.get('id') == call_id), None)

    def call(self, method, *args, timeout=60):
        return self.answer(self.start_call(method, *args), timeout)

    def close(self):
        self.server.in_loop(self._close())
        assert self.gone.wait(60)

    async def _close(self):
        self.writer.close()


class ProtocolServer:
    """Listens for workers at 127.0.0.1:``port``; :attr:`links` gets each
    worker's :class:`Link` once it said hello."""

    def __init__(self, port):
        self.port = port
        self.links = queue.Queue()
        self.all_links = []
        self._listener = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def in_loop(self, coroutine, timeout=60):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _accept(self, reader, writer):
        link = Link(self, reader, writer)
        self.all_links.append(link)
        await link._serve()

    async def _listen(self):
        self._listener = await asyncio.start_server(
            self._accept, '127.0.0.1', self.port, reuse_address=True)

    def start(self):
        self.in_loop(self._listen())

    async def _stop(self):
        self._listener.close()
        for link in self.all_links:
            link.writer.close()
        await self._listener.wait_closed()

    def stop(self):
        """Stops listening and closes every connection."""
        if self._listener is not None:
            self.in_loop(self._stop())
            self._listener = None
        for link in self.all_links:
            assert link.gone.wait(60)

    def next_link(self, timeout=60):
        """The next worker that connected and said hello."""
        try:
            return self.links.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError('no worker said hello within %d s' % timeout)

    def joined(self, timeout=60):
        """The next worker, acknowledged, after the server asked it what it
        runs, as sioworkersd does; checks it runs nothing."""
        link = self.next_link(timeout)
        link.ack()
        answer = link.call('get_running', timeout=5)
        assert answer == {'type': 'result', 'id': answer['id'], 'result': []}, answer
        return link

    def close(self):
        self.stop()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(60)
        self._loop.close()
