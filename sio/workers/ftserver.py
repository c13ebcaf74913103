"""``sio-run-filetracker``: a local filetracker server, when none answers.

The server is the ``filetracker-server`` of the ``filetracker`` package
(installed with the ``filetracker`` extra).  Where it listens comes from
``FILETRACKER_PUBLIC_URL`` (the URL the workers are told to use), else
``FILETRACKER_URL``, else ``http://127.0.0.1:9999``; where it stores files
from ``--dir``, else ``FILETRACKER_DIR``, else ``filetracker-server`` under
the user's data folder.
"""

import os
import socket
import sys
import time
import urllib.parse

from sio.workers import defaults
from sio.workers.exceptions import Failure

PROG = 'sio-run-filetracker'
USAGE = """\
usage: sio-run-filetracker [--dir DIR] [--workers N] [--background]

Starts a filetracker server at the URL in FILETRACKER_PUBLIC_URL (else
FILETRACKER_URL, else %(default_url)s) unless one already answers there.
In the foreground it runs until interrupted; with --background it returns
once the server answers.

options:
  --dir DIR      store the files in DIR (default: FILETRACKER_DIR, else
                 %(default_dir)s)
  --workers N    server worker processes (default 2)
  --background   start the server in the background and return
  -h, --help     show this help and exit
"""
START_WAIT = 60  # seconds a starting server may take to answer
STOP_WAIT = 20  # seconds a stopping server may take before it is killed


def public_url():
    return (os.environ.get(defaults.FILETRACKER_PUBLIC_URL_VARIABLE)
            or os.environ.get(defaults.FILETRACKER_URL_VARIABLE)
            or defaults.FILETRACKER_DEFAULT_URL).rstrip('/')


def default_store_dir():
    data = os.environ.get('XDG_DATA_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'share')
    return os.environ.get('FILETRACKER_DIR') or os.path.join(
        data, 'sioworkers', 'filetracker-server')


def answers(url, timeout=2.0):
    """Whether a filetracker server answers at ``url``."""
    import urllib.request
    import urllib.error

    try:
        with urllib.request.urlopen(url + '/version/', timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def listen_address(url):
    """``(host, port)`` to listen on for ``url``."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == 'https' else 80)
    except ValueError:
        port = None
    if parts.scheme != 'http' or not parts.hostname or not port:
        raise Failure('%s=%r is no http://HOST:PORT URL' % (
            defaults.FILETRACKER_PUBLIC_URL_VARIABLE, url))
    try:
        host = socket.gethostbyname(parts.hostname)
    except OSError as e:
        raise Failure('cannot resolve the host %r of %s: %s' % (parts.hostname, url, e))
    return host, port


def server_command(host, port, store_dir, workers, log_path=None):
    bin_dir = os.path.dirname(sys.executable)
    program = os.path.join(bin_dir, 'filetracker-server')
    if not os.path.exists(program):
        raise Failure("filetracker-server is not installed; install it with "
                      "pip install 'sioworkers[filetracker]'")
    argv = [program, '-D', '-l', host, '-p', str(port), '-d', store_dir,
            '--workers', str(workers)]
    if log_path:
        argv += ['-L', log_path]
    # filetracker-server starts 'gunicorn' by name: it must be on PATH.
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get('PATH', ''))
    return argv, env


def _parse(argv):
    options = {'dir': None, 'workers': 2, 'background': False}
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg in ('-h', '--help'):
            return None
        if arg == '--background':
            options['background'] = True
        elif arg in ('--dir', '--workers'):
            if not args:
                raise Failure('option %s needs a value' % arg)
            options[arg[2:]] = args.pop(0)
        else:
            raise Failure('unexpected argument %r (see %s --help)' % (arg, PROG))
    try:
        options['workers'] = int(options['workers'])
        assert options['workers'] > 0
    except (ValueError, AssertionError):
        raise Failure('--workers must be a positive whole number, not %r'
                      % (options['workers'],)) from None
    return options


def _start_in_background(argv, env, url, log_path):
    import subprocess

    with open(os.devnull, 'rb') as devnull:
        process = subprocess.Popen(argv, env=env, stdin=devnull, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + START_WAIT
    while not answers(url, timeout=1.0):
        if process.poll() is not None or time.monotonic() > deadline:
            if process.poll() is None:
                process.terminate()
                process.wait()
            raise Failure('the filetracker server did not start at %s; see %s'
                          % (url, log_path))
        time.sleep(0.1)
    return process.pid


def run(argv):
    options = _parse(argv)
    if options is None:
        sys.stdout.write(USAGE % {'default_url': defaults.FILETRACKER_DEFAULT_URL,
                                  'default_dir': default_store_dir()})
        return 0
    url = public_url()
    if answers(url):
        print('%s: a filetracker server already answers at %s; nothing started'
              % (PROG, url), flush=True)
        return 0
    host, port = listen_address(url)
    store_dir = os.path.abspath(options['dir'] or default_store_dir())
    try:
        os.makedirs(store_dir, 0o700, exist_ok=True)
    except OSError as e:
        raise Failure('cannot create the store folder %r: %s' % (store_dir, e))
    log_path = os.path.join(store_dir, 'server.log') if options['background'] else None
    argv, env = server_command(host, port, store_dir, options['workers'], log_path)
    if options['background']:
        pid = _start_in_background(argv, env, url, log_path)
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
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        return run(argv)
    except Failure as e:
        sys.stderr.write('%s: error: %s\n' % (PROG, e))
        return 1
    except KeyboardInterrupt:
        sys.stderr.write('%s: interrupted\n' % PROG)
        return 130
