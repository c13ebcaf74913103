"""``sio-worker`` against a server speaking sioworkersd's protocol: the
handshake, ``get_running``, ``run`` and how its answers look."""

import os
import signal

from tests.sioworkersd.worker_support import WAIT, processes_named
from tests.support import wait_until


def test_hello_describes_the_worker_with_the_types_sioworkersd_checks(server, start_worker):
    start_worker('--concurrency', '3', '--ram', '2048', '--can-run-cpu-exec',
                 name='judge-7')
    link = server.next_link()
    assert link.hello == {'type': 'hello', 'data': {
        'name': 'judge-7', 'concurrency': 3, 'available_ram_mb': 2048,
        'can_run_cpu_exec': True}}
    assert type(link.hello['data']['concurrency']) is int
    assert type(link.hello['data']['available_ram_mb']) is int
    link.ack()
    assert link.call('get_running', timeout=5)['result'] == []


def test_defaults_in_hello(server, start_worker):
    start_worker()
    data = server.next_link().hello['data']
    assert (data['concurrency'], data['available_ram_mb'], data['can_run_cpu_exec']) == \
        (1, 1024, False)


def test_ping_answers_the_environ_merged_with_the_result(server, start_worker):
    worker = start_worker()
    link = server.joined()
    environ = {'job_type': 'ping', 'ping': [1, 'two'], 'task_id': 'urn:task:1',
               'group_id': 'urn:group:1', 'contest_uid': ['oioioi', 'c1'],
               'something_else': {'kept': True}}
    answer = link.call('run', environ)
    assert answer['type'] == 'result', answer
    result = answer['result']
    assert result['result'] == 'SUCCESS'
    assert result['pong'] == [1, 'two']
    for key, value in environ.items():
        assert result[key] == value
    assert set(answer) == {'type', 'id', 'result'}
    worker.wait_clean()


def test_exec_of_a_compiled_program(server, start_worker, c_programs, tmp_path):
    start_worker()
    link = server.joined()
    (tmp_path / 'in').write_text('2 40\n')
    (tmp_path / 'out').write_text('42\n')
    answer = link.call('run', {
        'job_type': 'exec', 'task_id': 't-exec', 'exe_file': c_programs['add'],
        'in_file': str(tmp_path / 'in'), 'hint_file': str(tmp_path / 'out'),
        'check_output': True, 'exec_time_limit': 5000})
    assert answer['type'] == 'result', answer
    assert answer['result']['result_code'] == 'OK'
    assert answer['result']['task_id'] == 't-exec'


def test_a_failure_is_answered_as_an_error(server, start_worker):
    worker = start_worker()
    link = server.joined()
    answer = link.call('run', {'job_type': 'no-such-job', 'task_id': 't-fail'})
    assert answer['type'] == 'error', answer
    assert answer['kind'] == 'exception'
    assert 'no-such-job' in answer['data']
    assert 'Traceback' in answer['traceback']
    # The worker goes on.
    assert link.call('run', {'job_type': 'ping', 'ping': 1, 'task_id': 't-2'})['type'] == \
        'result'
    worker.wait_clean()


def test_unknown_method_is_method_not_found(server, start_worker):
    start_worker()
    link = server.joined()
    answer = link.call('sing', 'loudly')
    assert answer == {'type': 'error', 'id': answer['id'], 'kind': 'method_not_found',
                      'data': 'sing'}
    assert link.call('get_running')['result'] == []


def test_runs_up_to_concurrency_jobs_at_once(server, start_worker, linger_environ):
    worker = start_worker('--concurrency', '2')
    link = server.joined()
    calls = {name: link.start_call('run', linger_environ('task-' + name, name))
             for name in ('swk-a', 'swk-b', 'swk-c')}
    running = lambda: [n for n in calls if processes_named(n)]  # noqa: E731
    wait_until(lambda: len(running()) == 2, WAIT, 'two jobs running at once')
    assert sorted(link.call('get_running')['result']) == ['task-swk-a', 'task-swk-b',
                                                          'task-swk-c']
    first, second = running()
    assert len(running()) == 2  # the third waits for a free slot
    for pid in processes_named(first):
        os.kill(pid, signal.SIGKILL)
    answer = link.answer(calls[first])
    assert answer['type'] == 'result', answer
    assert answer['result']['result_code'] == 'RE'
    (third,) = set(calls) - {first, second}
    wait_until(lambda: processes_named(third), WAIT, 'the third job to start')
    assert sorted(link.call('get_running')['result']) == sorted(
        ['task-' + second, 'task-' + third])
    link.close()
    worker.wait_clean(*calls)


def test_cpu_exec_is_refused_without_can_run_cpu_exec(server, start_worker, c_programs):
    start_worker()
    link = server.joined()
    answer = link.call('run', {'job_type': 'cpu-exec', 'task_id': 't-cpu',
                               'exe_file': c_programs['add'], 'in_file': '/dev/null'})
    assert answer['type'] == 'error' and 'cpu-exec' in answer['data'], answer


def test_a_cpu_exec_job_runs_alone(server, start_worker, linger_environ):
    worker = start_worker('--can-run-cpu-exec', '--concurrency', '2')
    link = server.joined()
    link.start_call('run', linger_environ('task-swk-busy', 'swk-busy'))
    wait_until(lambda: processes_named('swk-busy'), WAIT, 'the first job to run')
    cpu_exec = dict(linger_environ('task-swk-cpu', 'swk-cpu'), job_type='cpu-exec')
    refused = link.call('run', cpu_exec)
    assert refused['type'] == 'error' and 'busy' in refused['data'], refused
    link.close()
    worker.wait_clean('swk-busy')
    link = server.joined()
    link.start_call('run', cpu_exec)
    wait_until(lambda: processes_named('swk-cpu'), WAIT, 'the cpu-exec job to run')
    refused = link.call('run', {'job_type': 'ping', 'ping': 1, 'task_id': 't-beside'})
    assert refused['type'] == 'error' and 'cpu-exec' in refused['data'], refused
    assert link.call('get_running')['result'] == ['task-swk-cpu']
    link.close()
    worker.wait_clean('swk-cpu')
