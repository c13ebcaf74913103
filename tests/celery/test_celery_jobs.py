"""Environs through real brokers and real workers: what comes back."""

import pytest

from sio.celery import client

RESULT_TIMEOUT = 60


def test_environ_round_trip(broker, two_workers):
    environ = {'job_type': 'ping', 'ping': 'hello', 'extra': {'nested': [1, 2.5, None]}}
    result = client.run(environ, broker_url=broker.url, timeout=RESULT_TIMEOUT)
    assert result['result'] == 'SUCCESS', result
    assert result['pong'] == 'hello'
    assert result['extra'] == {'nested': [1, 2.5, None]}
    assert result['worker']


def test_failing_job_comes_back_as_environ(broker, two_workers):
    result = client.run({'job_type': 'test-fail', 'message': 'no such test 7'},
                        broker_url=broker.url, timeout=RESULT_TIMEOUT)
    assert result['result'] == 'FAILURE'
    assert result['exception'] == 'no such test 7'
    assert 'Failure' in result['traceback']


def test_unknown_job_type_comes_back_as_environ(broker, two_workers):
    result = client.run({'job_type': 'no-such-job'}, broker_url=broker.url,
                        timeout=RESULT_TIMEOUT)
    assert result['result'] == 'FAILURE'
    assert 'no-such-job' in result['exception']


def test_hundred_jobs_in_flight_all_return(broker, two_workers):
    pending = [client.submit({'job_type': 'ping', 'ping': n}, broker_url=broker.url)
               for n in range(100)]
    results = [client.wait(p, timeout=RESULT_TIMEOUT) for p in pending]
    assert [r['pong'] for r in results] == list(range(100))
    assert all(r['result'] == 'SUCCESS' for r in results)


def test_progress_reports_reach_the_caller(broker, two_workers, tmp_path):
    seen = []
    result = client.run({'job_type': 'celery-test-progress', 'steps': 3, 'pause': 0.3},
                        broker_url=broker.url, timeout=RESULT_TIMEOUT,
                        on_progress=seen.append)
    assert result['result'] == 'SUCCESS', result
    assert result['reported'] == 3
    assert seen, 'no progress report arrived'
    assert seen[-1] == {'done': 3, 'total': 3, 'stage': 'step 3'}


def test_job_timeout_stops_the_job(broker, two_workers, tmp_path):
    result = client.run({'job_type': 'test-sleep', 'seconds': 30, 'job_timeout': 500},
                        broker_url=broker.url, timeout=RESULT_TIMEOUT)
    assert result['result'] == 'FAILURE'
    assert 'job_timeout' in result['exception']


@pytest.mark.parametrize('environ', [['not', 'a', 'dict'], {'job_type': 'ping', 'x': {1, 2}}])
def test_unsendable_environ_is_refused_by_the_client(broker, environ):
    with pytest.raises(TypeError) as info:
        client.submit(environ, broker_url=broker.url)
    assert 'environ' in str(info.value)
