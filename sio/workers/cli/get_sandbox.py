"""``sio-get-sandbox NAME``: fetch and unpack a sandbox, print its path."""

import sys

from sio.workers import defaults
from sio.workers.cli import EXIT_DONE, parser, run_main

PROG = 'sio-get-sandbox'
DESCRIPTION = """\
Fetches the sandbox NAME (stored as /sandboxes/NAME.tar.gz in the
filetracker named by FILETRACKER_URL), unpacks it if this version is not
unpacked yet, and prints the path of its folder."""
EPILOG = """\
environment:
  FILETRACKER_URL    the filetracker server
  %s  where sandboxes are unpacked (now: %s)"""


def make_parser():
    result = parser(PROG, DESCRIPTION, EPILOG % (defaults.SANDBOXES_DIR_VARIABLE,
                                                  defaults.sandboxes_dir()))
    result.add_argument('name', metavar='NAME', help='the name of the sandbox')
    return result


def _run(argv):
    import contextlib

    from sio.workers.sandbox import get_sandbox

    args = make_parser().parse_args(argv)
    # The filetracker client prints chatter; standard output is for the path.
    with contextlib.redirect_stdout(sys.stderr):
        sandbox = get_sandbox(args.name)
    sys.stdout.write(sandbox.path + '\n')
    return EXIT_DONE


def main(argv=None):
    """``sio-get-sandbox``; the exit status."""
    return run_main(PROG, _run, argv)
