"""run(environ): CONTRACT section 1, through the public function."""

import os
import socket
import threading
import time

import pytest

from sio.workers import Failure, run
from sio.workers.runner import current_job


def test_ping_copies_ping_to_pong():
    result = run({'job_type': 'ping', 'ping': {'any': ['json', 1]}})
    assert result['result'] == 'SUCCESS'
    assert result['pong'] == {'any': ['json', 1]}
    assert 'exception' not in result and 'traceback' not in result


def test_ping_copies_null_too():
    result = run({'job_type': 'ping', 'ping': None})
    assert result['result'] == 'SUCCESS' and result['pong'] is None


def test_worker_is_the_host_name():
    assert run({'job_type': 'ping', 'ping': 1})['worker'] == socket.gethostname()


def test_stale_failure_keys_of_an_earlier_run_are_removed():
    environ = {'job_type': 'ping', 'ping': 1, 'result': 'FAILURE',
               'exception': 'old', 'traceback': 'old'}
    result = run(environ)
    assert result['result'] == 'SUCCESS'
    assert 'exception' not in result and 'traceback' not in result


def test_unknown_job_type_is_a_failure_naming_it():
    result = run({'job_type': 'no-such-job'})
    assert result['result'] == 'FAILURE'
    assert "'no-such-job'" in result['exception']
    assert 'sio.jobs' in result['exception']
    assert 'Traceback' in result['traceback']


def test_missing_job_type_is_a_failure_naming_the_key():
    result = run({'ping': 1})
    assert result['result'] == 'FAILURE'
    assert 'job_type' in result['exception']


@pytest.mark.parametrize('job_type', [3, None, ['ping'], {'a': 1}])
def test_job_type_that_is_not_a_string_is_a_failure(job_type):
    result = run({'job_type': job_type} if job_type is not None else {'job_type': None})
    assert result['result'] == 'FAILURE'
    assert 'job_type' in result['exception']


@pytest.mark.parametrize('environ', [[], 'ping', 3, None])
def test_an_environ_that_is_not_a_dict_gives_a_failure_environ(environ):
    result = run(environ)
    assert result['result'] == 'FAILURE'
    assert 'environ' in result['exception'] and 'dict' in result['exception']


def test_missing_key_names_the_job_and_the_key():
    result = run({'job_type': 'ping'})
    assert result['result'] == 'FAILURE'
    assert result['exception'] == "job 'ping' needs key 'ping'"


def test_failure_raised_by_a_job_is_recorded_verbatim():
    result = run({'job_type': 'test-fail', 'message': 'the input is bad'})
    assert result['result'] == 'FAILURE'
    assert result['exception'] == 'the input is bad'
    assert 'Failure' in result['traceback'] and 'jobs.py' in result['traceback']


def test_unexpected_exception_is_recorded_with_its_type():
    result = run({'job_type': 'test-crash'})
    assert result['result'] == 'FAILURE'
    assert result['exception'].startswith('ZeroDivisionError')
    assert 'ZeroDivisionError' in result['traceback']


def test_job_calling_sys_exit_is_a_failure_not_an_exit():
    result = run({'job_type': 'test-exit'})
    assert result['result'] == 'FAILURE'
    assert 'SystemExit' in result['exception']


def test_job_returning_something_else_than_the_environ_is_a_failure():
    result = run({'job_type': 'test-not-dict'})
    assert result['result'] == 'FAILURE'
    assert "job 'test-not-dict'" in result['exception'] and 'list' in result['exception']


def test_plugin_that_cannot_be_imported_is_named_and_others_still_work():
    result = run({'job_type': 'test-broken'})
    assert result['result'] == 'FAILURE'
    assert "'test-broken'" in result['exception']
    assert 'sio_test_plugin.missing_module' in result['exception']
    assert run({'job_type': 'test-echo'})['result'] == 'SUCCESS'
    assert run({'job_type': 'ping', 'ping': 1})['result'] == 'SUCCESS'


# The temporary directory.

def test_job_runs_in_a_fresh_empty_temp_dir_removed_afterwards(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'caller-file').write_text('x')
    first = run({'job_type': 'test-echo'})
    second = run({'job_type': 'test-echo'})
    assert first['result'] == 'SUCCESS'
    assert first['cwd_listing'] == []
    assert first['cwd'] != str(tmp_path) and first['cwd'] != second['cwd']
    assert not os.path.exists(first['cwd']) and not os.path.exists(second['cwd'])
    assert os.getcwd() == str(tmp_path)


def test_temp_dir_is_under_tmpdir(tmp_path, monkeypatch):
    monkeypatch.setenv('TMPDIR', str(tmp_path))
    result = run({'job_type': 'test-echo'})
    assert os.path.dirname(result['cwd']) == str(tmp_path)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize('fail', [False, True])
def test_read_only_leftovers_are_removed(tmp_path, monkeypatch, fail):
    monkeypatch.chdir(tmp_path)
    result = run({'job_type': 'test-readonly', 'fail': fail})
    assert result['result'] == ('FAILURE' if fail else 'SUCCESS')
    assert not os.path.exists(result['cwd'])
    assert os.getcwd() == str(tmp_path)


def test_callers_cwd_restored_when_the_job_changes_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run({'job_type': 'test-chdir'})
    assert result['result'] == 'SUCCESS'
    assert os.getcwd() == str(tmp_path)
    assert not os.path.exists(result['cwd'])


def test_callers_cwd_restored_after_a_failure(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run({'job_type': 'test-crash'})
    assert os.getcwd() == str(tmp_path)


def test_job_knows_the_callers_directory(tmp_path, monkeypatch):
    seen = {}

    def peek(environ):
        job = current_job()
        seen.update(caller=job.caller_dir, work=job.work_dir, cwd=os.getcwd())
        return environ

    monkeypatch.chdir(tmp_path)
    from sio.workers import plugins
    monkeypatch.setitem(plugins._loaded, ('sio.jobs', 'peek-job'), peek)
    assert run({'job_type': 'peek-job'})['result'] == 'SUCCESS'
    assert seen['caller'] == str(tmp_path)
    assert seen['work'] == seen['cwd'] != seen['caller']
    assert current_job() is None


def test_nested_run_gets_its_own_temp_dir_and_restores_the_outer_one():
    result = run({'job_type': 'test-nested', 'inner': {'job_type': 'test-echo'}})
    assert result['result'] == 'SUCCESS'
    inner = result['inner_result']
    assert inner['result'] == 'SUCCESS'
    assert inner['cwd'] != result['outer_cwd']
    assert result['cwd_after_inner'] == result['outer_cwd']
    assert not os.path.exists(inner['cwd']) and not os.path.exists(result['outer_cwd'])


# Filters.

def test_filters_run_in_list_order_around_the_job():
    result = run({'job_type': 'test-echo', 'prefilters': ['test-mark-a', 'test-mark-b'],
                  'postfilters': ['test-mark-c', 'test-mark-a']})
    assert result['result'] == 'SUCCESS'
    assert result['trace'] == ['a', 'b', 'job', 'c', 'a']


def test_postfilters_run_after_a_failed_job():
    result = run({'job_type': 'test-crash', 'postfilters': ['test-mark-c']})
    assert result['result'] == 'FAILURE'
    assert result['trace'] == ['c']
    assert result['exception'].startswith('ZeroDivisionError')


def test_postfilters_run_after_an_unknown_job():
    result = run({'job_type': 'nope', 'postfilters': ['test-mark-c']})
    assert result['result'] == 'FAILURE' and result['trace'] == ['c']


def test_failing_prefilter_stops_the_job_but_not_the_postfilters():
    result = run({'job_type': 'test-echo', 'prefilters': ['test-mark-a', 'test-raise', 'test-mark-b'],
                  'postfilters': ['test-mark-c']})
    assert result['result'] == 'FAILURE'
    assert "prefilter 'test-raise'" in result['exception']
    assert 'filter exploded' in result['exception']
    assert result['trace'] == ['a', 'c']


def test_failing_postfilter_is_a_failure_naming_it():
    result = run({'job_type': 'test-echo', 'postfilters': ['test-raise', 'test-mark-c']})
    assert result['result'] == 'FAILURE'
    assert "postfilter 'test-raise'" in result['exception']
    assert result['trace'] == ['job']


def test_postfilter_failure_after_job_failure_keeps_both_messages():
    result = run({'job_type': 'test-fail', 'message': 'first', 'postfilters': ['test-raise']})
    assert result['result'] == 'FAILURE'
    assert "postfilter 'test-raise'" in result['exception'] and 'first' in result['exception']


def test_filter_returning_none_is_named():
    result = run({'job_type': 'test-echo', 'prefilters': ['test-none']})
    assert result['result'] == 'FAILURE'
    assert "prefilter 'test-none'" in result['exception'] and 'NoneType' in result['exception']


@pytest.mark.parametrize('name', ['no-such-filter', 'test-broken-filter'])
def test_unknown_or_broken_filter_is_named(name):
    result = run({'job_type': 'test-echo', 'prefilters': [name]})
    assert result['result'] == 'FAILURE'
    assert repr(name) in result['exception']
    assert 'cwd' not in result  # the job did not run


@pytest.mark.parametrize('value', [3, {'a': 1}, [1, 2]])
def test_filters_key_that_is_not_a_list_of_names_is_a_failure(value):
    result = run({'job_type': 'test-echo', 'prefilters': value})
    assert result['result'] == 'FAILURE'
    assert 'prefilters' in result['exception']


# job_timeout.

def test_job_timeout_stops_a_blocked_job_and_removes_its_temp_dir():
    start = time.monotonic()
    result = run({'job_type': 'test-sleep', 'seconds': 30, 'job_timeout': 300})
    assert time.monotonic() - start < 10
    assert result['result'] == 'FAILURE'
    assert 'job_timeout' in result['exception'] and '300' in result['exception']
    assert 'slept' not in result
    assert not os.path.exists(result['cwd'])


def test_job_timeout_stops_a_job_that_swallows_exceptions():
    start = time.monotonic()
    result = run({'job_type': 'test-spin', 'seconds': 30, 'job_timeout': 200,
                  'postfilters': ['test-mark-c']})
    assert time.monotonic() - start < 10
    assert result['result'] == 'FAILURE' and 'job_timeout' in result['exception']
    assert result['trace'] == ['c']
    assert not os.path.exists(result['cwd'])


def test_job_timeout_in_a_thread_other_than_the_main_one():
    results = []
    thread = threading.Thread(target=lambda: results.append(
        run({'job_type': 'test-spin', 'seconds': 30, 'job_timeout': 200})))
    thread.start()
    thread.join(20)
    assert not thread.is_alive()
    assert results[0]['result'] == 'FAILURE' and 'job_timeout' in results[0]['exception']
    assert not os.path.exists(results[0]['cwd'])


def test_job_finishing_within_its_timeout_succeeds_and_leaves_no_alarm():
    result = run({'job_type': 'test-sleep', 'seconds': 0.05, 'job_timeout': 5000})
    assert result['result'] == 'SUCCESS' and result['slept'] is True
    time.sleep(0.1)
    assert run({'job_type': 'test-sleep', 'seconds': 0.05})['result'] == 'SUCCESS'


def test_inner_job_timeout_does_not_stop_the_outer_job():
    result = run({'job_type': 'test-nested', 'job_timeout': 10000,
                  'inner': {'job_type': 'test-sleep', 'seconds': 30, 'job_timeout': 200}})
    assert result['result'] == 'SUCCESS'
    assert result['inner_result']['result'] == 'FAILURE'
    assert 'job_timeout' in result['inner_result']['exception']


@pytest.mark.parametrize('value', [0, -5, 'soon', True, [1]])
def test_invalid_job_timeout_is_a_failure_naming_the_key(value):
    result = run({'job_type': 'ping', 'ping': 1, 'job_timeout': value})
    assert result['result'] == 'FAILURE'
    assert 'job_timeout' in result['exception']


def test_failure_class_is_an_exception():
    assert issubclass(Failure, Exception)
