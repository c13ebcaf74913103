"""Telling the brokers apart, and what follows from the broker's URL."""

from sio.celery import defaults

_REDIS_SCHEMES = ('redis', 'rediss', 'socket')
_AMQP_SCHEMES = ('amqp', 'amqps', 'pyamqp', 'librabbitmq')


def first_broker_url(broker_url):
    """The first of a list (or ``;``-separated string) of failover URLs."""
    if isinstance(broker_url, (list, tuple)):
        broker_url = broker_url[0] if broker_url else None
    if isinstance(broker_url, str):
        return broker_url.split(';')[0].strip() or None
    return None


def broker_kind(broker_url):
    """``'redis'``, ``'amqp'`` (RabbitMQ) or ``None`` (another transport)."""
    url = first_broker_url(broker_url) or defaults.BROKER_URL
    scheme = url.split('://', 1)[0].lower()
    if scheme in _REDIS_SCHEMES:
        return 'redis'
    if scheme in _AMQP_SCHEMES:
        return 'amqp'
    return None


def redis_needs_ssl_settings(broker_url, use_ssl):
    """Whether ``broker_url`` is ``rediss://`` without ``broker_use_ssl``."""
    url = first_broker_url(broker_url) or ''
    return url.lower().startswith('rediss://') and not use_ssl


def result_backend_for(broker_url):
    """The result backend that goes with ``broker_url``, or ``None``."""
    kind = broker_kind(broker_url)
    if kind == 'redis':
        return first_broker_url(broker_url)
    if kind == 'amqp':
        return 'rpc://'
    return None


def filetracker_url_for(broker_url):
    """The default filetracker of workers of ``broker_url``, or ``None``."""
    from urllib.parse import urlsplit

    url = first_broker_url(broker_url) or defaults.BROKER_URL
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    if ':' in host:  # an IPv6 address
        host = '[%s]' % host
    return 'http://%s:%d' % (host, defaults.FILETRACKER_PORT)
