"""The ``sio-worker`` command line: the banner, ``--version``, one-line errors."""

import subprocess

import pytest

from tests.sioworkersd.worker_support import WAIT
from tests.support import assert_one_line_error, tool, wait_until


def _sio_worker(*args):
    return subprocess.run([tool('sio-worker')] + list(args), capture_output=True,
                          text=True, timeout=WAIT, stdin=subprocess.DEVNULL)


def test_version():
    completed = _sio_worker('--version')
    assert completed.returncode == 0
    assert completed.stdout.startswith('sio-worker (sioworkers) ')


@pytest.mark.parametrize('args, expected', [
    ([], 'HOST'),
    (['host', '--concurrency', '0'], 'concurrency'),
    (['host', '--ram', 'lots'], 'ram'),
    (['host', '--port', '70000'], 'port'),
    (['host', '--name', ' '], 'name'),
    (['host', '--no-such-option'], 'no-such-option'),
])
def test_bad_command_line_is_one_line_error(args, expected):
    assert_one_line_error(_sio_worker(*args), 'sio-worker', expected)


def test_banner_says_what_is_served_and_where(server, start_worker):
    worker = start_worker('--concurrency', '2', '--ram', '3000', name='banner-worker')
    server.joined()
    wait_until(lambda: 'joined sioworkersd' in worker.log(), WAIT, 'the worker to join')
    log = worker.log()
    assert 'sio-worker@banner-worker' in log
    assert '.> server:      127.0.0.1:%d' % server.port in log
    assert '.> concurrency: 2' in log and '.> ram:         3000 MiB' in log
    jobs = next(line for line in log.splitlines() if line.startswith('.> jobs:'))
    assert {'ping', 'exec', 'cpu-exec', 'compile'} <= set(
        jobs.split(':', 1)[1].replace(',', ' ').split())
    assert log.index('[sioworkersd]') < log.index('joined sioworkersd')
