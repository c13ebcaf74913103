"""``sio-celery-worker``: a Celery worker that runs sioworkers jobs.

Usage: ``sio-celery-worker [BROKER_URL] [CELERY WORKER OPTIONS...]``

``BROKER_URL`` overrides ``CELERY_BROKER_URL`` and the configuration
module; every other argument is an option of ``celery worker`` (``-c``,
``-n``, ``-Q``, ``-l``, ...).  When ``FILETRACKER_URL`` is not set, jobs use
the filetracker on the broker's host, port 9999.  The start-up banner says
which jobs and filters this worker can run.
"""

import os
import sys

from sio.celery import defaults

PROG = 'sio-celery-worker'

USAGE = """\
usage: sio-celery-worker [BROKER_URL] [CELERY WORKER OPTIONS...]

Starts a Celery worker for sioworkers jobs (task %s, queue %r).

  BROKER_URL    e.g. redis://host:6379/0 or amqp://guest@host//; overrides
                CELERY_BROKER_URL and the configuration module

environment:
  CELERY_BROKER_URL      the broker, when BROKER_URL is not given
  CELERY_RESULT_BACKEND  where results are kept (default: derived from
                         the broker)
  CELERY_CONFIG_MODULE   a module of Celery settings
  FILETRACKER_URL        remote file storage (default: http://BROKER_HOST:%d)

Other options are those of 'celery worker':
""" % (defaults.TASK_NAME, defaults.QUEUE, defaults.FILETRACKER_PORT)


class UsageError(Exception):
    """Unusable command line: one line on standard error, status 2."""


def filetracker_url_for(broker_url):
    """The default filetracker of workers of ``broker_url``, or ``None``."""
    from urllib.parse import urlsplit

    from sio.celery.app import first_broker_url

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


def _registered(group):
    from sio.workers import _plugins

    return ', '.join(sorted(_plugins.entry_points(group))) or '(none)'


def _redelivery(broker_url, transport_options):
    from sio.celery.app import broker_kind

    kind = broker_kind(broker_url)
    if kind == 'redis':
        return ('after the visibility timeout, %ss (longer jobs run twice)'
                % transport_options.get('visibility_timeout', 3600))
    if kind == 'amqp':
        return 'as soon as a dead worker\'s connection drops'
    return 'as the broker does it'


def sioworkers_banner(app):
    """What this worker serves, in the style of Celery's banner."""
    from sio.workers import _plugins
    from sio.workers.defaults import FILTERS_GROUP, JOBS_GROUP
    from sio.celery.app import first_broker_url

    _plugins.refresh()
    broker_url = first_broker_url(app.conf.broker_url) or defaults.BROKER_URL
    lines = [
        '[sioworkers]',
        '.> task:        %s' % defaults.TASK_NAME,
        '.> jobs:        %s' % _registered(JOBS_GROUP),
        '.> filters:     %s' % _registered(FILTERS_GROUP),
        '.> filetracker: %s' % (os.environ.get('FILETRACKER_URL') or '(none)'),
        '.> redelivery:  %s' % _redelivery(
            broker_url, app.conf.broker_transport_options or {}),
    ]
    return '\n'.join(lines) + '\n'


def _split_arguments(argv):
    broker_url = None
    if argv and not argv[0].startswith('-'):
        broker_url, argv = argv[0], argv[1:]
        if '://' not in broker_url:
            raise UsageError('BROKER_URL %r is not a URL; expected e.g. '
                             'redis://host:6379/0 or amqp://guest@host//' % broker_url)
    return broker_url, list(argv)


def _configure_environment(broker_url):
    if broker_url:
        os.environ['CELERY_BROKER_URL'] = broker_url
    if not os.environ.get('FILETRACKER_URL'):
        from sio.celery.app import app

        url = filetracker_url_for(app.conf.broker_url)
        if url:
            os.environ['FILETRACKER_URL'] = url


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        import click
        from celery.exceptions import ImproperlyConfigured

        from sio.celery.app import ConfigurationError
    except ImportError as e:
        sys.stderr.write("%s: error: Celery is not installed (%s); install it with "
                         "pip install 'sioworkers[celery]'\n" % (PROG, e))
        return 2
    try:
        if argv[:1] in (['-h'], ['--help']):
            sys.stdout.write(USAGE)
            sys.stdout.flush()
        broker_url, celery_args = _split_arguments(argv)
        _configure_environment(broker_url)
        from sio.celery.app import app

        status = app.worker_main(['worker'] + celery_args)
        return status or 0
    except UsageError as e:
        sys.stderr.write('%s: error: %s\n' % (PROG, e))
        return 2
    except click.ClickException as e:
        sys.stderr.write('%s: error: %s\n' % (PROG, e.format_message()))
        return 2
    except (ConfigurationError, ImproperlyConfigured) as e:
        sys.stderr.write('%s: error: %s\n' % (PROG, ' '.join(str(e).split())))
        return 2
    except KeyboardInterrupt:
        return 130
