"""``sio-celery-worker``: its command line, its banner, and one-line
errors for bad input."""

import os
import subprocess

import pytest

from tests.support import assert_one_line_error, free_port, tool

from sio.celery import client
from sio.workers.cli.celery_worker import split_arguments

RESULT_TIMEOUT = 60


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
    assert ".> filetracker: http://127.0.0.1:9999 (derived from the broker's host" in banner \
        or ".> filetracker: NOT ANSWERING: the filetracker at http://127.0.0.1:9999 " \
           "(derived from the broker's host" in banner
    assert 'sioworkers' in log[:log.index('[sioworkers]')]  # the queue


@pytest.mark.parametrize('args, expected', [
    (['not-a-url'], "BROKER_URL 'not-a-url' is not a URL"),
    (['redis://127.0.0.1:1/0', '--no-such-option'], 'no-such-option'),
])
def test_bad_command_line_is_one_line_error(args, expected):
    assert_one_line_error(_worker_command(*args), 'sio-celery-worker', expected)


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
    assert 'Usage: sio-celery-worker [OPTIONS]' in completed.stdout
    assert 'sio-celery-worker worker' not in completed.stdout


def test_version():
    completed = _worker_command('--version')
    assert completed.returncode == 0
    assert completed.stdout.startswith('sio-celery-worker (sioworkers) ')


VALUE_OPTIONS = {'-c', '--concurrency', '-n', '-Q', '-l'}


@pytest.mark.parametrize('argv, url, rest', [
    (['--concurrency', '2', 'redis://h/0'], 'redis://h/0', ['--concurrency', '2']),
    (['redis://h/0', '-c', '2'], 'redis://h/0', ['-c', '2']),
    (['-c', '2', '-b', 'amqp://h//', '-l', 'INFO'], 'amqp://h//', ['-c', '2', '-l', 'INFO']),
    (['--broker=redis://h/1', '-c2'], 'redis://h/1', ['-c2']),
    (['-bredis://h/2', '--without-gossip'], 'redis://h/2', ['--without-gossip']),
    (['-n', 'a@%h', 'worker_concurrency=3'], None, ['-n', 'a@%h', 'worker_concurrency=3']),
])
def test_broker_url_is_found_anywhere(argv, url, rest):
    assert split_arguments(argv, VALUE_OPTIONS) == (url, rest)


def test_two_broker_urls_are_refused():
    completed = _worker_command('redis://127.0.0.1:1/0', '-b', 'redis://127.0.0.1:2/0')
    assert completed.returncode == 2
    assert completed.stderr.startswith('sio-celery-worker: error: two broker URLs given')
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr


@pytest.mark.parametrize('how', ['last', '-b'])
def test_worker_with_options_before_the_broker_url_serves(broker, start_worker, how):
    queue = 'test-url-%s' % how.strip('-')
    broker_args = [broker.url] if how == 'last' else ['-b', broker.url, '-O', 'fair']
    worker = start_worker(broker, 'url-' + how.strip('-'), '--concurrency', '2',
                          queue=queue, broker_args=broker_args)
    assert 'concurrency: 2' in worker.log()
    result = client.run({'job_type': 'ping', 'ping': how}, broker_url=broker.url,
                        queue=queue, timeout=RESULT_TIMEOUT)
    assert result['pong'] == how


def test_unanswering_filetracker_is_named_in_banner_and_job(redis_broker, start_worker):
    url = 'http://127.0.0.1:%d' % free_port()  # nothing listens there
    queue = 'test-no-filetracker'
    worker = start_worker(redis_broker, 'no-ft', queue=queue,
                          extra_env={'FILETRACKER_URL': url})
    line = next(line for line in worker.log().splitlines()
                if line.startswith('.> filetracker:'))
    assert 'NOT ANSWERING' in line and url in line
    assert 'set by FILETRACKER_URL' in line and '"use_filetracker": false' in line

    result = client.run({'job_type': 'compile', 'source_file': '/sources/a.c',
                         'out_file': '/binaries/a.e', 'compiler': 'system-gcc'},
                        broker_url=redis_broker.url, queue=queue, timeout=RESULT_TIMEOUT)
    assert result['result'] == 'FAILURE'
    message = result['exception']
    assert "cannot fetch '/sources/a.c'" in message
    assert 'the filetracker at %s (set by FILETRACKER_URL) does not answer' % url in message
    assert '"use_filetracker": false' in message

    local = client.run({'job_type': 'ping', 'ping': 1, 'use_filetracker': False},
                       broker_url=redis_broker.url, queue=queue, timeout=RESULT_TIMEOUT)
    assert local['result'] == 'SUCCESS'
    # A failure that has nothing to do with files gets no note.
    other = client.run({'job_type': 'test-fail', 'message': 'no such test 7'},
                       broker_url=redis_broker.url, queue=queue, timeout=RESULT_TIMEOUT)
    assert other['exception'] == 'no such test 7'


def test_local_relative_path_under_celery_is_explained(redis_broker, start_worker):
    url = 'http://127.0.0.1:%d' % free_port()
    queue = 'test-local-path'
    start_worker(redis_broker, 'local-path', queue=queue, extra_env={'FILETRACKER_URL': url})
    result = client.run({'job_type': 'compile', 'source_file': 'a.c', 'out_file': 'a.e',
                         'compiler': 'system-gcc'},
                        broker_url=redis_broker.url, queue=queue, timeout=RESULT_TIMEOUT)
    assert result['result'] == 'FAILURE'
    assert "names 'a.c', which is no filetracker path" in result['exception']
    assert 'the filetracker at %s (set by FILETRACKER_URL) does not answer' % url \
        in result['exception']


def test_filetracker_derived_from_broker_is_said_so_in_job(redis_broker, start_worker):
    # The broker's host here is 127.0.0.1; the derived port is 9999.
    queue = 'test-derived-filetracker'
    start_worker(redis_broker, 'derived-ft', queue=queue)
    result = client.run({'job_type': 'compile', 'source_file': '/sources/a.c',
                         'out_file': '/binaries/a.e', 'compiler': 'system-gcc'},
                        broker_url=redis_broker.url, queue=queue, timeout=RESULT_TIMEOUT)
    assert result['result'] == 'FAILURE'
    if 'does not answer' not in result['exception']:
        pytest.fail('a filetracker answers on 127.0.0.1:9999 here; this test needs '
                    'that port free: %s' % result['exception'])
    assert ("the filetracker at http://127.0.0.1:9999 (derived from the broker's host, "
            "as FILETRACKER_URL is not set) does not answer") in result['exception']
