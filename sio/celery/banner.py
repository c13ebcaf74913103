"""What a worker serves, printed under Celery's own start-up banner."""

from sio.celery import defaults, filetracker
from sio.celery.brokers import broker_kind, first_broker_url
from sio.workers import plugins
from sio.workers.defaults import FILTERS_GROUP, JOBS_GROUP


def _registered(group):
    return ', '.join(sorted(plugins.entry_points(group))) or '(none)'


def _redelivery(app, broker_url, transport_options):
    kind = broker_kind(broker_url)
    if kind == 'redis' and app.conf.broker_transport == defaults.REDIS_TRANSPORT:
        return ('when the worker holding the job is unheard for %ss'
                % transport_options.get('liveness_timeout', defaults.LIVENESS_TIMEOUT))
    if kind == 'redis':
        return ('after the visibility timeout, %ss (longer jobs run twice)'
                % transport_options.get('visibility_timeout', 3600))
    if kind == 'amqp':
        return 'as soon as a dead worker\'s connection drops'
    return 'as the broker does it'


def sioworkers_banner(app):
    """What this worker serves, in the style of Celery's banner."""
    plugins.refresh()
    broker_url = first_broker_url(app.conf.broker_url) or defaults.BROKER_URL
    lines = [
        '[sioworkers]',
        '.> task:        %s' % defaults.TASK_NAME,
        '.> jobs:        %s' % _registered(JOBS_GROUP),
        '.> filters:     %s' % _registered(FILTERS_GROUP),
        '.> filetracker: %s' % filetracker.banner_line(),
        '.> redelivery:  %s' % _redelivery(
            app, broker_url, app.conf.broker_transport_options or {}),
    ]
    return '\n'.join(lines) + '\n'
