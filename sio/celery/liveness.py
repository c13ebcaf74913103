"""Which worker holds which Redis job, and whether that worker is alive.

On Redis, kombu keeps each message a worker has taken but not yet
acknowledged in a hash (``unacked``: delivery tag -> message) and a sorted
set (``unacked_index``: delivery tag -> when it was taken).  Stock kombu
puts a message back on its queue once it has been there longer than the
visibility timeout, whether or not the worker holding it still runs it.
sioworkers' Redis transport (:mod:`sio.celery.redis_transport`) records
two more things instead:

* next to each unacknowledged message, its *holder*: the worker process
  that took it (the hash ``unacked.holder``, written in the same
  transaction as kombu's own records, so no message is recorded without
  its holder);
* for each worker process, a key ``sioworkers.alive.<holder>`` that
  expires :data:`~sio.celery.defaults.LIVENESS_TIMEOUT` seconds after it
  was last refreshed; a thread of the worker refreshes it three times per
  timeout, however busy its jobs keep the worker.

Every worker sweeps a few times per timeout: a message whose holder's key
is gone goes back to the front of its queue.  The check and the
hand-back are one Lua script run by Redis, so two workers sweeping at
once cannot both hand back the same message, and a message acknowledged
meanwhile is left alone.  A message of a live holder is never handed
back, however long its job runs.  A message without a holder (taken by a
consumer that is not a sioworkers worker) is handed back after the
visibility timeout, as kombu would.

This module does not import Celery or kombu: it speaks to Redis through
the client it is given.
"""

import logging
import os
import socket
import threading
import time

logger = logging.getLogger(__name__)

ALIVE_KEY_PREFIX = 'sioworkers.alive.'
HOLDER_SUFFIX = '.holder'

# KEYS: unacked hash, unacked index, holder hash, holder's alive key (or
# an unused name), then the queues the message goes back to.
# ARGV: delivery tag, the message as the sweep read it, the message to
# push back, the holder the sweep saw ('' for none).
HAND_BACK_SCRIPT = """
local tag = ARGV[1]
if redis.call('HGET', KEYS[1], tag) ~= ARGV[2] then
    return 0
end
local holder = redis.call('HGET', KEYS[3], tag)
if ARGV[4] == '' then
    if holder then return 0 end
else
    if holder ~= ARGV[4] then return 0 end
    if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
end
redis.call('HDEL', KEYS[1], tag)
redis.call('ZREM', KEYS[2], tag)
redis.call('HDEL', KEYS[3], tag)
for i = 5, #KEYS do
    redis.call('RPUSH', KEYS[i], ARGV[3])
end
return 1
"""

# Holder records whose message is gone (kombu removed the message by a
# path that does not know of holders).  KEYS: unacked hash, holder hash.
FORGET_SCRIPT = """
local forgotten = 0
for i, tag in ipairs(ARGV) do
    if redis.call('HEXISTS', KEYS[1], tag) == 0 then
        forgotten = forgotten + redis.call('HDEL', KEYS[2], tag)
    end
end
return forgotten
"""

_holder = None
_holder_pid = None
_heartbeat = None
_heartbeat_lock = threading.Lock()


def holder_id():
    """This process's name as a holder of jobs: host, pid and a random part
    (a restarted worker with the same pid is another holder)."""
    global _holder, _holder_pid
    if _holder_pid != os.getpid():
        _holder = '%s:%d:%s' % (socket.gethostname(), os.getpid(), os.urandom(4).hex())
        _holder_pid = os.getpid()
    return _holder


def alive_key(holder, prefix=''):
    return '%s%s%s' % (prefix, ALIVE_KEY_PREFIX, holder)


def holder_key(unacked_key, prefix=''):
    return '%s%s%s' % (prefix, unacked_key, HOLDER_SUFFIX)


def refresh_interval(timeout):
    """Seconds between refreshes of the alive key, and between sweeps."""
    return max(timeout / 3.0, 0.2)


class Heartbeat(threading.Thread):
    """Keeps this process's alive key fresh until the process ends.

    ``client_source()`` returns the Redis client to use now (the worker
    may have reconnected since the last beat); errors are logged and the
    beat tried again at the next interval.
    """

    def __init__(self, client_source, key, timeout):
        super().__init__(name='sioworkers-liveness', daemon=True)
        self.client_source = client_source
        self.key = key
        self.timeout = timeout
        self._failing = False

    def beat(self):
        try:
            self.client_source().set(self.key, str(time.time()),
                                     px=int(self.timeout * 1000))
        except Exception as e:
            if not self._failing:
                logger.warning('cannot refresh %s in Redis (%s: %s); the jobs of '
                               'this worker go to others if this lasts %ss',
                               self.key, type(e).__name__, e, self.timeout)
            self._failing = True
        else:
            if self._failing:
                logger.warning('refreshing %s in Redis again', self.key)
            self._failing = False

    def run(self):
        interval = refresh_interval(self.timeout)
        while True:
            time.sleep(interval)
            self.beat()


def ensure_heartbeat(client_source, key, timeout):
    """Starts this process's heartbeat thread unless it runs already."""
    global _heartbeat
    with _heartbeat_lock:
        if _heartbeat is None or not _heartbeat.is_alive() or _heartbeat.key != key:
            _heartbeat = Heartbeat(client_source, key, timeout)
            _heartbeat.start()
        else:
            _heartbeat.client_source = client_source
    return _heartbeat
