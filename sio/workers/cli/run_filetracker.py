"""``sio-run-filetracker``: a local filetracker server, when none answers.

The server is the ``filetracker-server`` of the ``filetracker`` package
(installed with the ``filetracker`` extra); see :mod:`sio.workers.ftserver`
for where it listens and stores files.
"""

import os

from sio.workers import defaults
from sio.workers.cli import parser, run_main
from sio.workers.exceptions import Failure
from sio.workers.ftserver import (STOP_WAIT, answers, default_store_dir, listen_address,
                                  public_url, server_command, start_in_background)

PROG = 'sio-run-filetracker'
DESCRIPTION = """\
Starts a filetracker server at the URL in FILETRACKER_PUBLIC_URL (else
FILETRACKER_URL, else %s), or at --host and --port, unless one
already answers there.
In the foreground it runs until interrupted; with --background it returns
once the server answers."""


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        import argparse

        raise argparse.ArgumentTypeError('must be a positive whole number, '
                                         'not %r' % text)
    return value


def make_parser():
    result = parser(PROG, DESCRIPTION % defaults.FILETRACKER_DEFAULT_URL)
    result.add_argument('--host', metavar='HOST', default=None,
                        help='listen on HOST (default: the host of the URL)')
    result.add_argument('--port', metavar='PORT', type=_positive, default=None,
                        help='listen on PORT (default: the port of the URL)')
    result.add_argument('--dir', metavar='DIR', default=None,
                        help='store the files in DIR (default: FILETRACKER_DIR, else '
                             '%s)' % default_store_dir())
    result.add_argument('--workers', metavar='N', type=_positive, default=2,
                        help='server worker processes (default 2)')
    result.add_argument('--background', action='store_true',
                        help='start the server in the background and return')
    return result


def _run(argv):
    options = make_parser().parse_args(argv)
    url = public_url()
    if options.host or options.port:
        host, port = listen_address(url)
        url = 'http://%s:%d' % (options.host or host, options.port or port)
    if answers(url):
        print('%s: a filetracker server already answers at %s; nothing started'
              % (PROG, url), flush=True)
        return 0
    host, port = listen_address(url)
    store_dir = os.path.abspath(options.dir or default_store_dir())
    try:
        os.makedirs(store_dir, 0o700, exist_ok=True)
    except OSError as e:
        raise Failure('cannot create the store folder %r: %s' % (store_dir, e))
    log_path = os.path.join(store_dir, 'server.log') if options.background else None
    argv, env = server_command(host, port, store_dir, options.workers, log_path)
    if options.background:
        pid = start_in_background(argv, env, url, log_path)
        print('%s: filetracker server (pid %d) answers at %s\n  listening on %s:%d\n'
              '  storing files in %s\n  log: %s'
              % (PROG, pid, url, host, port, store_dir, log_path), flush=True)
        return 0
    print('%s: starting a filetracker server for %s\n  listening on %s:%d\n'
          '  storing files in %s\n  stop it with Ctrl-C' % (PROG, url, host, port, store_dir),
          flush=True)
    return _run_in_foreground(argv, env)


def _run_in_foreground(argv, env):
    """Runs the server until it ends or we are asked to stop.

    gunicorn stops gracefully on SIGTERM, waiting up to 30 s for busy
    workers; asked to stop, we give the server's whole process group
    SIGINT, gunicorn's quick shutdown, and kill what is left.
    """
    import signal
    import subprocess

    def stop(signum, frame):
        raise KeyboardInterrupt

    process = subprocess.Popen(argv, env=env, start_new_session=True)
    signal.signal(signal.SIGTERM, stop)
    try:
        return process.wait()
    except KeyboardInterrupt:
        _signal_group(process.pid, signal.SIGINT)
        try:
            process.wait(STOP_WAIT)
        except subprocess.TimeoutExpired:
            pass
        return 0
    finally:
        _signal_group(process.pid, signal.SIGKILL)
        process.wait()


def _signal_group(pid, signum):
    try:
        os.killpg(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def main(argv=None):
    """``sio-run-filetracker``; the exit status."""
    return run_main(PROG, _run, argv)
