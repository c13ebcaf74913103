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
from sio.workers.cli import EXIT_USAGE, UsageError, error, version

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
        from sio.celery.brokers import filetracker_url_for

        url = filetracker_url_for(app.conf.broker_url)
        if url:
            os.environ['FILETRACKER_URL'] = url


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ['--version']:
        sys.stdout.write('%s (sioworkers) %s\n' % (PROG, version()))
        return 0
    try:
        import click
        from celery.exceptions import ImproperlyConfigured

        from sio.celery.app import ConfigurationError
    except ImportError as e:
        error(PROG, "Celery is not installed (%s); install it with "
                    "pip install 'sioworkers[celery]'" % e)
        return EXIT_USAGE
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
        error(PROG, e)
        return EXIT_USAGE
    except click.ClickException as e:
        error(PROG, e.format_message())
        return EXIT_USAGE
    except (ConfigurationError, ImproperlyConfigured) as e:
        error(PROG, e)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
