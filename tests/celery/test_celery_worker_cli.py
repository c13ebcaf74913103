"""``sio-celery-worker``: its banner, and one-line errors for bad input."""

import os
import subprocess

import pytest

from tests.support import tool


def _worker_command(*args, env=None, timeout=60):
    full_env = dict(os.environ)
    full_env.pop('CELERY_CONFIG_MODULE', None)
    full_env.update(env or {})
    return subprocess.run([tool('sio-celery-worker')] + list(args), env=full_env,
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def _listed(banner, what):
    line = next(line for line in banner.splitlines() if line.startswith('.> %s:' % what))
    return set(line.split(':', 1)[1].replace(',', ' ').split())


def test_banner_lists_jobs_filters_and_the_derived_filetracker(broker, two_workers):
    log = two_workers[0].log()
    banner = log[log.index('[sioworkers]'):]
    assert {'ping', 'celery-test-hold', 'celery-test-progress'} <= _listed(banner, 'jobs')
    assert 'test-mark-a' in _listed(banner, 'filters')
    assert '.> filetracker: http://127.0.0.1:9999' in banner
    assert 'sioworkers' in log[:log.index('[sioworkers]')]  # the queue


@pytest.mark.parametrize('args, expected', [
    (['not-a-url'], "BROKER_URL 'not-a-url' is not a URL"),
    (['redis://127.0.0.1:1/0', '--no-such-option'], 'no-such-option'),
])
def test_bad_command_line_is_one_line_error(args, expected):
    completed = _worker_command(*args)
    assert completed.returncode == 2
    assert completed.stderr.startswith('sio-celery-worker: error: ')
    assert expected in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr
    assert 'Traceback' not in completed.stderr


@pytest.mark.parametrize('content, expected', [
    (None, "No module named 'sio_missing_settings'"),
    ("broker_url = 'redis://unterminated\n", 'SyntaxError'),
])
def test_unusable_config_module_is_one_line_error(tmp_path, content, expected):
    if content is not None:
        (tmp_path / 'sio_missing_settings.py').write_text(content)
    completed = _worker_command('redis://127.0.0.1:1/0', env={
        'CELERY_CONFIG_MODULE': 'sio_missing_settings', 'PYTHONPATH': str(tmp_path)})
    assert completed.returncode == 2
    assert "Celery configuration module 'sio_missing_settings'" in completed.stderr
    assert expected in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr


def test_help_shows_our_usage_and_celery_options():
    completed = _worker_command('--help')
    assert completed.returncode == 0
    assert completed.stdout.startswith('usage: sio-celery-worker [BROKER_URL]')
    assert '--concurrency' in completed.stdout
