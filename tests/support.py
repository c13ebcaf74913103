"""Helpers for tests: import them with ``from support import ...``."""

import os
import socket
import sys

BIN_DIR = os.path.dirname(sys.executable)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tool(name):
    """Path of a console script installed with the project."""
    path = os.path.join(BIN_DIR, name)
    assert os.path.exists(path), '%s is not installed next to %s' % (name, sys.executable)
    return path


def start_filetracker_server(url, store_dir, log_path, workers=2, wait=60):
    """Starts ``filetracker-server`` in the foreground for ``url`` (loopback)."""
    import subprocess
    import time

    from sio.workers.ftserver import answers

    port = url.rsplit(':', 1)[1].rstrip('/')
    env = dict(os.environ, PATH=BIN_DIR + os.pathsep + os.environ.get('PATH', ''))
    process = subprocess.Popen(
        [tool('filetracker-server'), '-D', '-l', '127.0.0.1', '-p', port,
         '-d', store_dir, '-L', log_path, '--workers', str(workers)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + wait
    while not answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_filetracker_server(process)
            raise RuntimeError('filetracker-server did not start at %s; see %s'
                               % (url, log_path))
        time.sleep(0.1)
    return process


def stop_filetracker_server(process):
    """SIGINT to the whole group: gunicorn's quick shutdown (on SIGTERM it
    may wait 30 s for its workers)."""
    import signal

    stop_process(process, group_signal=signal.SIGINT)


def stop_process(process, grace=20, group_signal=None):
    """Asks ``process`` to stop (or its process group, with ``group_signal``),
    then kills what is left of the group."""
    import signal
    import subprocess

    if process.poll() is None:
        if group_signal is None:
            process.terminate()
        else:
            try:
                os.killpg(process.pid, group_signal)
            except ProcessLookupError:
                pass
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def sync_log(url, log_path, wait=30):
    """Waits until the server at ``url`` has logged every request answered
    so far: the access log is written after the answer is sent."""
    import time
    import urllib.request

    marker = 'log-sync-%s' % os.urandom(4).hex()
    with urllib.request.urlopen('%s/version/?%s' % (url.rstrip('/'), marker), timeout=wait):
        pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        with open(log_path, encoding='utf-8', errors='replace') as f:
            if marker in f.read():
                return
        time.sleep(0.02)
    raise AssertionError('the server at %s did not log %s' % (url, marker))
