"""sioworkersd's worker protocol: netstrings, each holding one JSON object.

A netstring is ``<length>:<bytes>,`` with the length in decimal ASCII.
sioworkersd drops a connection that sends it a netstring over
:data:`MAX_MESSAGE_BYTES`, so the worker never sends one (see
:func:`encode`); the worker in turn skips such a message instead of reading
it.

Every object has a ``type``:

``hello``
    the worker's first message; ``data`` is ``{name, concurrency,
    available_ram_mb, can_run_cpu_exec}`` (a string, two integers and a
    boolean: sioworkersd rejects a worker whose values have other types).
``hello_ack``
    the server's answer to ``hello``; no other field.
``call``
    ``{id, method, args}``: the server asks the worker to run ``method``
    with the positional ``args`` (a list).
``result``
    ``{id, result}``: the answer to call ``id``.
``error``
    ``{id, kind, data}`` and, except for ``kind`` ``method_not_found``, a
    ``traceback`` string: call ``id`` failed.  sioworkersd shows
    ``kind: data`` and the traceback.
"""

import json

#: The largest netstring payload sioworkersd reads (1 MiB).
MAX_MESSAGE_BYTES = 2 ** 20
#: Where sioworkersd listens for workers.
DEFAULT_PORT = 7888
#: Every ``type`` a message may have.
MESSAGE_TYPES = ('hello', 'hello_ack', 'call', 'result', 'error')
#: ``kind`` of the error for an unknown method.
METHOD_NOT_FOUND = 'method_not_found'
#: ``kind`` of the error for a call that failed.
EXCEPTION = 'exception'

# A length prefix of more digits than this is not read as a length at all:
# the stream is broken, not merely carrying one oversized message.
_MAX_LENGTH_DIGITS = 12


class FramingError(Exception):
    """The bytes are not netstrings: the stream cannot be read any further."""


class BadMessage(Exception):
    """One netstring does not hold a message; the stream can go on."""


class TooLarge(Exception):
    """A message to send is over :data:`MAX_MESSAGE_BYTES` once encoded."""


class Oversized:
    """In :meth:`NetstringDecoder.feed`'s answer: a netstring that was
    skipped, unread, for being over the size bound."""

    def __init__(self, length):
        self.length = length

    def __repr__(self):
        return 'Oversized(%d)' % self.length


class NetstringDecoder:
    """Turns the bytes of a stream, as they come, into whole payloads."""

    def __init__(self, limit=MAX_MESSAGE_BYTES):
        self.limit = limit
        self._buffer = bytearray()
        self._length = None  # of the netstring being read, once known
        self._skipping = False  # its payload is over the limit

    def feed(self, data):
        """The payloads (``bytes``) completed by ``data``, and an
        :class:`Oversized` for each one skipped; :class:`FramingError` when
        the stream is broken."""
        self._buffer += data
        found = []
        while self._next(found):
            pass
        return found

    def _next(self, found):
        buffer = self._buffer
        if self._length is None and not self._read_length(found):
            return False
        if self._skipping and self._length:
            dropped = min(self._length, len(buffer))
            del buffer[:dropped]
            self._length -= dropped
        if len(buffer) <= self._length:
            return False
        if buffer[self._length] != ord(','):
            raise FramingError('a netstring of %d bytes does not end with a comma'
                               % self._length)
        if not self._skipping:
            found.append(bytes(buffer[:self._length]))
        del buffer[:self._length + 1]
        self._length, self._skipping = None, False
        return True

    def _read_length(self, found):
        buffer = self._buffer
        colon = buffer.find(b':', 0, _MAX_LENGTH_DIGITS + 1)
        digits = bytes(buffer if colon < 0 else buffer[:colon])
        if (digits and not digits.isdigit()) or (colon == 0) or \
                (colon < 0 and len(buffer) > _MAX_LENGTH_DIGITS):
            raise FramingError('not a netstring: it starts with %r' % bytes(buffer[:20]))
        if colon < 0:
            return False
        del buffer[:colon + 1]
        self._length = int(digits)
        if self._length > self.limit:
            self._skipping = True
            found.append(Oversized(self._length))
        return True


def frame(payload):
    """``payload`` (bytes) as one netstring."""
    return b'%d:%s,' % (len(payload), payload)


def encode(message):
    """The netstring of ``message`` (a dict); :class:`TooLarge` when it
    would be over :data:`MAX_MESSAGE_BYTES`."""
    payload = json.dumps(message, separators=(',', ':')).encode('utf-8')
    if len(payload) > MAX_MESSAGE_BYTES:
        raise TooLarge('a %r message of %d bytes is over the bound of %d bytes'
                       % (message.get('type'), len(payload), MAX_MESSAGE_BYTES))
    return frame(payload)


def decode(payload):
    """The message (a dict with a known ``type``) in a netstring's payload;
    :class:`BadMessage` otherwise."""
    try:
        message = json.loads(payload.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as e:
        raise BadMessage('not JSON (%s): %r' % (e, payload[:80]))
    if not isinstance(message, dict):
        raise BadMessage('not a JSON object: %r' % payload[:80])
    if message.get('type') not in MESSAGE_TYPES:
        raise BadMessage('unknown type %r: %r' % (message.get('type'), payload[:80]))
    return message


def hello(name, concurrency, available_ram_mb, can_run_cpu_exec):
    """The worker's opening message."""
    return {'type': 'hello', 'data': {
        'name': str(name), 'concurrency': int(concurrency),
        'available_ram_mb': int(available_ram_mb),
        'can_run_cpu_exec': bool(can_run_cpu_exec)}}


def result(call_id, value):
    """The answer to call ``call_id``."""
    return {'type': 'result', 'id': call_id, 'result': value}


def error(call_id, kind, data, traceback=None):
    """A failed call ``call_id``; ``traceback`` is left out when ``None``."""
    message = {'type': 'error', 'id': call_id, 'kind': kind, 'data': data}
    if traceback is not None:
        message['traceback'] = traceback
    return message
