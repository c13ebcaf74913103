"""``sio-celery-worker``: a Celery worker that runs sioworkers jobs.

Usage: ``sio-celery-worker [OPTIONS...] [BROKER_URL] [OPTIONS...]``

``BROKER_URL`` (anywhere on the command line, or after ``-b``/``--broker``
as for ``celery``) overrides ``CELERY_BROKER_URL`` and the configuration
module; every other argument is an option of ``celery worker`` (``-c``,
``-n``, ``-Q``, ``-l``, ...).  When ``FILETRACKER_URL`` is not set, jobs use
the filetracker on the broker's host, port 9999.  The start-up banner says
which jobs and filters this worker can run, and whether its filetracker
answers.
"""

import os
import sys

from sio.celery import defaults
from sio.workers.cli import EXIT_USAGE, UsageError, error, version

PROG = 'sio-celery-worker'

USAGE = """\
usage: sio-celery-worker [BROKER_URL] [CELERY WORKER OPTIONS...]

Starts a Celery worker for sioworkers jobs (task %s, queue %r).

  BROKER_URL    e.g. redis://host:6379/0 or amqp://guest@host//, anywhere
                on the command line (or -b BROKER_URL); overrides
                CELERY_BROKER_URL and the configuration module
  --version     the version of sioworkers

environment:
  CELERY_BROKER_URL      the broker, when BROKER_URL is not given
  CELERY_RESULT_BACKEND  where results are kept (default: derived from
                         the broker)
  CELERY_CONFIG_MODULE   a module of Celery settings
  FILETRACKER_URL        remote file storage (default: http://BROKER_HOST:%d)

Other options are those of 'celery worker':

""" % (defaults.TASK_NAME, defaults.QUEUE, defaults.FILETRACKER_PORT)

_BROKER_OPTIONS = ('-b', '--broker')


def _options_with_values(command):
    """The option names of the click ``command`` that take a value."""
    import click

    names = set()
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag and not param.count:
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


def _broker_option_value(argv, i):
    """``(url, next index)`` if ``argv[i]`` gives the broker, else ``None``."""
    arg = argv[i]
    if arg in _BROKER_OPTIONS:
        if i + 1 >= len(argv):
            raise UsageError('%s needs a broker URL' % arg)
        return argv[i + 1], i + 2
    if arg.startswith('--broker='):
        return arg.split('=', 1)[1], i + 1
    if arg.startswith('-b') and not arg.startswith('--'):
        return arg[2:], i + 1
    return None


def split_arguments(argv, value_options):
    """``(broker_url or None, the arguments for celery worker)``.

    The broker URL is the argument after ``-b``/``--broker``, or any
    argument that is not an option nor the value of one (``value_options``)
    nor a Celery ``key=value`` setting.
    """
    broker_url, rest, i = None, [], 0
    while i < len(argv):
        arg = argv[i]
        found = _broker_option_value(argv, i)
        if found is None and arg == '--':
            rest.extend(argv[i:])
            break
        if found is None and arg.startswith('-'):
            takes_value = arg in value_options and i + 1 < len(argv)
            rest.extend(argv[i:i + 2] if takes_value else [arg])
            i += 2 if takes_value else 1
            continue
        if found is None and '=' in arg and '://' not in arg:
            rest.append(arg)  # a Celery setting given on the command line
            i += 1
            continue
        url, i = found or (arg, i + 1)
        if '://' not in url:
            raise UsageError('BROKER_URL %r is not a URL; expected e.g. '
                             'redis://host:6379/0 or amqp://guest@host//' % url)
        if broker_url is not None:
            raise UsageError('two broker URLs given: %r and %r' % (broker_url, url))
        broker_url = url
    return broker_url, rest


def _configure_environment(broker_url):
    if broker_url:
        os.environ['CELERY_BROKER_URL'] = broker_url
    from sio.celery import filetracker
    from sio.celery.app import app

    filetracker.choose_for_worker(app.conf.broker_url)


def _run_worker(celery_args):
    from celery.bin.base import CLIContext
    from celery.bin.worker import worker

    from sio.celery.app import app

    context = CLIContext(app=app, no_color=bool(os.environ.get('NO_COLOR')), workdir=None)
    # Celery's worker command itself, so that its usage and errors name
    # this program rather than 'sio-celery-worker worker'.
    return worker.main(args=celery_args, prog_name=PROG, obj=context,
                       standalone_mode=False)


def _show_help():
    sys.stdout.write(USAGE)
    sys.stdout.flush()
    _run_worker(['--help'])
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ['--version']:
        sys.stdout.write('%s (sioworkers) %s\n' % (PROG, version()))
        return 0
    try:
        import click
        from celery.bin.worker import worker
        from celery.exceptions import ImproperlyConfigured

        from sio.celery.app import ConfigurationError
    except ImportError as e:
        error(PROG, "Celery is not installed (%s); install it with "
                    "pip install 'sioworkers[celery]'" % e)
        return EXIT_USAGE
    try:
        if '-h' in argv or '--help' in argv:
            return _show_help()
        broker_url, celery_args = split_arguments(argv, _options_with_values(worker))
        _configure_environment(broker_url)
        status = _run_worker(celery_args)
        return status if isinstance(status, int) else 0
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
