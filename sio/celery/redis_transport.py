"""kombu's Redis transport, with jobs handed back when their worker dies.

Selected for Redis brokers by :mod:`sio.celery.app` (the Celery setting
``broker_transport``).  What it changes is described in
:mod:`sio.celery.liveness`: each message taken is recorded with its
holder, each worker keeps an alive key fresh, and the sweep hands back
the messages of holders that are no longer alive instead of those that
are merely old.  Everything else is kombu's Redis transport.

The one tunable is the transport option ``liveness_timeout``
(:data:`sio.celery.defaults.LIVENESS_TIMEOUT` seconds by default): how
long a worker may go unheard before its jobs are handed to others.
"""

import logging
import time

import redis
from kombu.transport import redis as kombu_redis
from kombu.transport import virtual
from kombu.utils.encoding import bytes_to_str
from kombu.utils.json import dumps, loads

from sio.celery import defaults, liveness

logger = logging.getLogger(__name__)


def _text(value):
    return bytes_to_str(value) if isinstance(value, bytes) else value


class QoS(kombu_redis.QoS):
    """kombu's acknowledgement emulation, knowing who holds each message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_sweep = 0.0
        self._scripts = None

    @property
    def holder_key(self):
        return liveness.holder_key(self.unacked_key)

    @property
    def liveness_timeout(self):
        return float(self.channel.liveness_timeout)

    def append(self, message, delivery_tag):
        delivery = message.delivery_info
        holder = liveness.holder_id()
        entry = dumps([message._raw, delivery['exchange'], delivery['routing_key']])
        # One transaction: the message is never recorded without its holder,
        # nor its holder without being alive.
        with self.pipe_or_acquire() as pipe:
            pipe.zadd(self.unacked_index_key, {delivery_tag: time.time()}) \
                .hset(self.unacked_key, delivery_tag, entry) \
                .hset(self.holder_key, delivery_tag, holder) \
                .set(liveness.alive_key(holder), str(time.time()),
                     px=int(self.liveness_timeout * 1000)) \
                .execute()
        virtual.QoS.append(self, message, delivery_tag)
        channel = self.channel
        liveness.ensure_heartbeat(channel._create_client, liveness.alive_key(holder),
                                  self.liveness_timeout)

    def _remove_from_indices(self, delivery_tag, pipe=None):
        with self.pipe_or_acquire(pipe) as pipe:
            return super()._remove_from_indices(delivery_tag, pipe) \
                .hdel(self.holder_key, delivery_tag)

    def restore_visible(self, start=0, num=10, interval=10):
        """Hands back the messages of dead holders (kombu calls this
        periodically; at most one sweep per refresh interval runs)."""
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + liveness.refresh_interval(self.liveness_timeout)
        try:
            Sweep(self).run()
        except self.channel.connection_errors:
            raise
        except Exception:
            logger.exception('the sweep for jobs of dead workers failed')


class Sweep:
    """One look at the unacknowledged messages of a Redis database."""

    def __init__(self, qos):
        self.qos = qos
        self.channel = qos.channel
        self.prefix = self.channel.global_keyprefix or ''
        # Keys are spelled out with their prefix: a plain client does not
        # add it, not even to the keys of a script.
        self.client = redis.Redis(connection_pool=self.channel.pool)
        self.unacked = self.prefix + qos.unacked_key
        self.index = self.prefix + qos.unacked_index_key
        self.holders = liveness.holder_key(qos.unacked_key, self.prefix)

    def _script(self, source):
        scripts = self.qos._scripts
        if scripts is None:
            scripts = self.qos._scripts = {}
        if source not in scripts:
            scripts[source] = self.client.register_script(source)
        return scripts[source]

    def _read(self):
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hkeys(self.unacked).hgetall(self.holders) \
                .zrange(self.index, 0, -1, withscores=True)
            tags, holders, taken = pipe.execute()
        tags = [_text(tag) for tag in tags]
        holders = {_text(tag): _text(holder) for tag, holder in holders.items()}
        taken = {_text(tag): score for tag, score in taken}
        return tags, holders, taken

    def _alive(self, holders):
        names = sorted(set(holders))
        if not names:
            return set()
        with self.client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.exists(liveness.alive_key(name, self.prefix))
            found = pipe.execute()
        return {name for name, exists in zip(names, found) if exists}

    def run(self):
        tags, holders, taken = self._read()
        if not tags and not holders:
            return
        alive = self._alive(holders.values())
        too_old = time.time() - self.qos.visibility_timeout
        for tag in tags:
            holder = holders.get(tag)
            if holder in alive:
                continue
            if holder is None and taken.get(tag, too_old + 1) > too_old:
                continue  # not ours: kombu's rule, the visibility timeout
            self.hand_back(tag, holder)
        stale = [tag for tag in holders if tag not in set(tags)]
        if stale:
            self._script(liveness.FORGET_SCRIPT)(
                keys=[self.unacked, self.holders], args=stale, client=self.client)

    def hand_back(self, tag, holder):
        """Puts the message ``tag`` back at the front of its queues, unless
        it was acknowledged or handed back meanwhile; returns whether."""
        raw = self.client.hget(self.unacked, tag)
        if raw is None:
            return False
        payload, exchange, routing_key = loads(_text(raw))
        for part in (payload.get('headers'),
                     payload.get('properties', {}).get('delivery_info')):
            if isinstance(part, dict):
                part['redelivered'] = True
        channel = self.channel
        priority = channel._get_message_priority(payload, reverse=False)
        queues = [self.prefix + channel._q_for_pri(queue, priority)
                  for queue in channel._lookup(exchange, routing_key)]
        keys = [self.unacked, self.index, self.holders,
                liveness.alive_key(holder or '', self.prefix)] + queues
        done = self._script(liveness.HAND_BACK_SCRIPT)(
            keys=keys, args=[tag, raw, dumps(payload), holder or ''], client=self.client)
        if done:
            task = (payload.get('headers') or {}).get('id', tag)
            if holder:
                logger.warning('job %s was held by %s, which stopped being alive: '
                               'handed back to %s', task, holder, ', '.join(queues))
            else:
                logger.warning('job %s was unacknowledged for longer than the '
                               'visibility timeout: handed back', task)
        return bool(done)


class Channel(kombu_redis.Channel):
    QoS = QoS
    liveness_timeout = defaults.LIVENESS_TIMEOUT
    from_transport_options = (kombu_redis.Channel.from_transport_options
                              + ('liveness_timeout',))


class Transport(kombu_redis.Transport):
    """kombu's Redis transport with :class:`Channel`, sweeping a few times
    per ``liveness_timeout``."""

    Channel = Channel

    def register_with_event_loop(self, connection, loop):
        super().register_with_event_loop(connection, loop)
        timeout = float(connection.client.transport_options.get(
            'liveness_timeout', defaults.LIVENESS_TIMEOUT))
        loop.call_repeatedly(liveness.refresh_interval(timeout),
                             self.cycle.maybe_restore_messages)
