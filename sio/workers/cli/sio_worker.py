"""``sio-worker``: a worker of sioworkersd, the original sioworkers'
scheduling daemon, as OIOIOI's workers are.

Usage: ``sio-worker HOST [--port 7888] [--name NAME] [--concurrency N]
[--ram MB] [--can-run-cpu-exec]``

It connects to sioworkersd at ``HOST:PORT``, runs the jobs it is sent, each
in a process of its own, and reconnects when the connection is lost.
``SIGTERM`` or Ctrl-C stops it: the running jobs are stopped cleanly and
sioworkersd gives them to other workers.  The start-up banner says what it
serves and where; then it logs through :mod:`logging` on standard error.
"""

import os
import sys

from sio.workers.cli import EXIT_DONE, UsageError, parser, run_main, version

PROG = 'sio-worker'
DEFAULT_RAM_MB = 1024
LOG_FORMAT = '%(asctime)s %(levelname)s %(name)s: %(message)s'

DESCRIPTION = """\
Joins sioworkersd (the original sioworkers' scheduling daemon, which OIOIOI
sends its jobs to) as a worker, and runs the jobs it hands out."""

EPILOG = """\
sioworkersd sends a worker at most --concurrency jobs at once, and only as
many as fit in --ram together (by their exec_mem_limit, or a default of
their job type).  cpu-exec jobs (timed by the CPU itself, each alone on its
worker) go only to workers started with --can-run-cpu-exec; give that to
machines of one CPU model only.

environment:
  FILETRACKER_URL  remote file storage of the jobs, as for sio-batch
  TMPDIR           where the jobs' temporary directories are made"""


def _positive(what):
    def convert(text):
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise ValueError(text)
        return value

    convert.__name__ = what
    return convert


def make_parser():
    from sio.sioworkersd.protocol import DEFAULT_PORT

    p = parser(PROG, DESCRIPTION, EPILOG)
    p.add_argument('host', metavar='HOST', help='where sioworkersd runs')
    p.add_argument('-p', '--port', type=_positive('port number'), default=DEFAULT_PORT,
                   help="sioworkersd's port for workers (default: %(default)s)")
    p.add_argument('-n', '--name', default=os.uname().nodename,
                   help='the name of this worker; unique among the workers of '
                        "one sioworkersd (default: this machine's host name)")
    p.add_argument('-c', '--concurrency', type=_positive('number of jobs'), default=1,
                   help='jobs run at once (default: %(default)s)')
    p.add_argument('-r', '--ram', type=_positive('number of MiB'), default=DEFAULT_RAM_MB,
                   metavar='MB', help='memory the jobs may use together, in MiB '
                                      '(default: %(default)s)')
    p.add_argument('--can-run-cpu-exec', action='store_true',
                   help='take cpu-exec jobs too')
    p.add_argument('-l', '--log-level', default='INFO',
                   choices=['DEBUG', 'INFO', 'WARNING', 'ERROR'],
                   help='the least important messages logged (default: %(default)s)')
    return p


def _arguments(argv):
    args = make_parser().parse_args(argv)
    if args.port > 65535:
        raise UsageError('argument -p/--port: %d is not a port number' % args.port)
    if not args.name.strip():
        raise UsageError('argument -n/--name: the name must not be empty')
    return args


def _registered(group):
    from sio.workers import plugins

    return ', '.join(sorted(plugins.entry_points(group))) or '(none)'


def banner(args):
    """What this worker serves and where, in the style of Celery's banner."""
    from sio.workers import plugins
    from sio.workers.defaults import FILTERS_GROUP, JOBS_GROUP

    plugins.refresh()
    cpu_exec = 'yes' if args.can_run_cpu_exec else 'no (--can-run-cpu-exec to take them)'
    lines = [
        '%s@%s v%s' % (PROG, args.name, version()),
        '[sioworkersd]',
        '.> server:      %s:%d' % (args.host, args.port),
        '.> name:        %s' % args.name,
        '.> concurrency: %d (a process per job)' % args.concurrency,
        '.> ram:         %d MiB' % args.ram,
        '.> cpu-exec:    %s' % cpu_exec,
        '[sioworkers]',
        '.> jobs:        %s' % _registered(JOBS_GROUP),
        '.> filters:     %s' % _registered(FILTERS_GROUP),
        '.> filetracker: %s' % (os.environ.get('FILETRACKER_URL') or '(none)'),
    ]
    return '\n'.join(lines) + '\n'


async def _serve(worker):
    import asyncio
    import signal

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, worker.stop)
    await worker.run()


def _body(argv):
    import asyncio
    import logging

    from sio.sioworkersd.session import WorkerInfo
    from sio.sioworkersd.worker import Worker

    args = _arguments(argv)
    sys.stdout.write(banner(args) + '\n')
    sys.stdout.flush()
    logging.basicConfig(format=LOG_FORMAT, level=getattr(logging, args.log_level), force=True)
    info = WorkerInfo(args.name, args.concurrency, args.ram, args.can_run_cpu_exec)
    asyncio.run(_serve(Worker(args.host, args.port, info)))
    return EXIT_DONE


def main(argv=None):
    return run_main(PROG, _body, argv)
