"""Every command-line tool of sioworkers, and what they share.

Each tool is one module here with a ``main(argv=None)`` returning its exit
status; nothing else in the project imports them.  They share:

* the exit statuses: :data:`EXIT_DONE` (0), :data:`EXIT_FAILED` (1, the
  work failed), :data:`EXIT_USAGE` (2, an unusable command line or input),
  and ``128 + N`` when stopped by signal N;
* :func:`parser`: an :mod:`argparse` parser with ``--help``,
  ``--version`` and ``-v``/``-q``, whose complaints are :class:`UsageError`;
* :func:`run_main`: the one place that turns errors into one line on
  standard error (``PROG: error: ...``), never a traceback, and that
  sets up :mod:`logging` (messages as ``PROG: message`` on standard error,
  warnings and worse by default; ``-v`` adds information, ``-vv``
  debugging, ``-q`` leaves errors only, ``-qq`` nothing).

This package is on the start-up path of ``sio-batch``: it imports nothing
heavy at the top (``argparse`` is imported by :func:`parser`, ``logging``
only when a command line was given: the plain ``sio-batch`` leaves it to
Python's default, which shows warnings too).
"""

import sys

from sio.workers.exceptions import Failure

EXIT_DONE = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Unusable command line or input: one line on standard error, status 2."""


class Interrupted(KeyboardInterrupt):
    """A termination signal turned into an exception (see :func:`catch_termination`)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_terminate(signum, frame):
    raise Interrupted(signum)


def catch_termination():
    """From now on ``SIGTERM`` raises :class:`Interrupted`, so that a
    stopped tool cleans up as on Ctrl-C, and ``SIGINT`` raises
    :class:`KeyboardInterrupt` even when the tool was started with it
    ignored.

    A shell starts a background job (``cmd &`` in a script, ``nohup sh -c
    ...`` and the like) with ``SIGINT`` ignored, and Python then leaves it
    ignored: ``kill -INT`` would not stop the tool, and every process it
    starts would inherit the ignoring.  A tool is stopped by ``SIGINT``
    whoever started it, as gunicorn and celery are."""
    # _signal is the C module behind signal; signal.py would add an enum
    # import to every start-up for nothing.
    try:
        import _signal as signal_module
    except ImportError:  # pragma: no cover
        import signal as signal_module
    signal_module.signal(signal_module.SIGTERM, _on_terminate)
    signal_module.signal(signal_module.SIGINT, signal_module.default_int_handler)


def version():
    """The installed version of sioworkers."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as distribution_version

    try:
        return distribution_version('sioworkers')
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return 'unknown'


def parser(prog, description, epilog=None):
    """An argument parser for ``prog`` with ``-h/--help`` and ``--version``;
    its errors raise :class:`UsageError` instead of exiting."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            raise UsageError('%s (see %s --help)' % (message, self.prog))

        def parse_known_args(self, args=None, namespace=None):
            parsed, rest = super().parse_known_args(args, namespace)
            configure_logging(prog, parsed.verbose - parsed.quiet)
            return parsed, rest

    result = Parser(prog=prog, description=description, epilog=epilog,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    result.add_argument('--version', action='version',
                        version='%s (sioworkers) %s' % (prog, version()))
    result.add_argument('-v', '--verbose', action='count', default=0,
                        help='say more on standard error (twice: debugging too)')
    result.add_argument('-q', '--quiet', action='count', default=0,
                        help='say less: errors only (twice: nothing)')
    return result


def configure_logging(prog, verbosity=0):
    """Log records go to standard error as ``PROG: message``, from the
    level ``verbosity`` asks for: 0 warnings, 1 information, 2 debugging,
    -1 errors, -2 nothing."""
    import logging

    levels = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}
    if verbosity < -1:
        level = logging.CRITICAL + 1
    else:
        level = levels.get(verbosity, logging.DEBUG)
    shape = '%(name)s: %(message)s' if level <= logging.DEBUG else '%(message)s'
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(prog + ': ' + shape))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, 'sio_cli', False)]:
        root.removeHandler(old)
    handler.sio_cli = True
    root.addHandler(handler)
    root.setLevel(level)


def error(prog, message):
    """Writes ``PROG: error: MESSAGE`` as one line on standard error."""
    sys.stderr.write('%s: error: %s\n' % (prog, ' '.join(str(message).split())))


def run_main(prog, body, argv=None):
    """Runs ``body(argv)`` (the command line without the program name) and
    returns its exit status, turning errors into one line on standard error:
    :class:`UsageError` is status 2, :class:`~sio.workers.Failure` status 1,
    an interruption ``128 + signal``."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        catch_termination()
        if argv:
            configure_logging(prog)
        return body(argv)
    except UsageError as e:
        error(prog, e)
        return EXIT_USAGE
    except Failure as e:
        error(prog, e)
        return EXIT_FAILED
    except Interrupted as e:
        sys.stderr.write('%s: terminated by signal %d\n' % (prog, e.signum))
        return 128 + e.signum
    except KeyboardInterrupt:
        sys.stderr.write('%s: interrupted\n' % prog)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_FAILED
    except SystemExit as e:  # argparse's --help and --version
        return e.code if isinstance(e.code, int) else EXIT_DONE
