"""A local filetracker server: where it listens, how it is started, whether
one answers (``sio-run-filetracker`` is :mod:`sio.workers.cli.run_filetracker`).

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


def start_in_background(argv, env, url, log_path):
    """Starts the server of ``server_command`` in its own session; its pid
    once it answers at ``url``."""
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


def launch_in_background(url, store_dir=None, workers=2):
    """Starts a server for ``url`` in the background unless one answers
    there; its pid, or ``None`` when one already answered."""
    if answers(url):
        return None
    host, port = listen_address(url)
    store_dir = os.path.abspath(store_dir or default_store_dir())
    try:
        os.makedirs(store_dir, 0o700, exist_ok=True)
    except OSError as e:
        raise Failure('cannot create the filetracker store folder %r: %s' % (store_dir, e))
    log_path = os.path.join(store_dir, 'server.log')
    argv, env = server_command(host, port, store_dir, workers, log_path)
    return start_in_background(argv, env, url, log_path)
