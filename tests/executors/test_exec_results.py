"""Every result code of the exec jobs, and what they measure."""

import os
import time

import pytest

from sio.workers import run

ISOLATED_AND_NOT = ['exec', 'unsafe-exec']
# The original sioworkers' words: sio2jail's for isolated runs, its
# unprotected executor's for unsafe-exec.
EXIT_TEXT = {'exec': 'runtime error %d', 'unsafe-exec': 'program exited with code %d'}
SIGNAL_TEXT = {'exec': 'process exited due to signal %d',
               'unsafe-exec': 'program exited due to signal %d'}


def judge(job_type, exe, in_file, **keys):
    environ = dict(job_type=job_type, exe_file=exe, in_file=in_file, **keys)
    result = run(environ)
    assert result['result'] == 'SUCCESS', result.get('exception')
    return result


@pytest.fixture
def add_test(files):
    return files(**{'in': '1 2\n', 'good': '3\n', 'spaced': '  3   \n\n\n', 'bad': '4\n'})


@pytest.mark.parametrize('job_type', ['exec', 'cpu-exec', 'sio2jail-exec', 'unsafe-exec'])
def test_correct_program_is_ok(programs, add_test, job_type, tmp_path):
    out = str(tmp_path / 'stored_out')
    result = judge(job_type, programs['add'], add_test['in'], check_output=True,
                   hint_file=add_test['spaced'], out_file=out)
    assert (result['result_code'], result['result_string']) == ('OK', 'ok')
    assert tuple(result['result_percentage']) == (100, 1)
    assert open(out).read() == '3\n'
    assert result['time_used'] >= 0 and result['mem_used'] > 0
    assert result['real_time_used'] >= 0 and result['num_syscalls'] == 0


def test_unchecked_run_has_the_originals_percentage(programs, add_test):
    result = judge('exec', programs['add'], add_test['in'])
    assert result['result_code'] == 'OK' and tuple(result['result_percentage']) == (0, 1)


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_wrong_output_is_wa(programs, add_test, job_type):
    result = judge(job_type, programs['add'], add_test['in'], check_output=True,
                   hint_file=add_test['bad'])
    assert result['result_code'] == 'WA'
    assert tuple(result['result_percentage']) == (0, 1)
    assert result['result_string'] == 'line 1 differs'


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_exit_code_is_re(programs, add_test, job_type):
    result = judge(job_type, programs['exit3'], add_test['in'])
    assert (result['result_code'], result['result_string']) == ('RE', EXIT_TEXT[job_type] % 3)


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_crash_is_re_with_signal(programs, add_test, job_type):
    result = judge(job_type, programs['segv'], add_test['in'])
    assert result['result_code'] == 'RE'
    assert result['result_string'] == SIGNAL_TEXT[job_type] % 11


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_spinning_program_is_tle_by_cpu(programs, add_test, job_type):
    result = judge(job_type, programs['spin'], add_test['in'], exec_time_limit=300,
                   exec_real_time_limit=20000)
    assert result['result_code'] == 'TLE'
    assert result['time_used'] >= 300


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_sleeping_program_is_tle_by_wall_clock(programs, add_test, job_type):
    result = judge(job_type, programs['sleep'], add_test['in'], exec_time_limit=1000,
                   exec_real_time_limit=300)
    assert result['result_code'] == 'TLE'
    assert result['result_string'] == 'real time limit exceeded'


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_memory_hog_is_mle(programs, add_test, job_type):
    result = judge(job_type, programs['hog'], add_test['in'], exec_mem_limit=65536)
    assert result['result_code'] == 'MLE'


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_mem_used_at_least_what_was_touched(programs, add_test, job_type):
    result = judge(job_type, programs['touch32'], add_test['in'], exec_mem_limit=131072)
    assert result['result_code'] == 'OK'
    assert result['mem_used'] >= 32 * 1024


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_output_flood_is_ole(programs, add_test, job_type, tmp_path):
    out = str(tmp_path / 'flood_out')
    result = judge(job_type, programs['flood'], add_test['in'], exec_out_limit=100000,
                   exec_time_limit=1000, out_file=out)
    assert result['result_code'] == 'OLE'
    assert os.path.getsize(out) <= 100001


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_time_used_of_300ms_burner_within_20_percent(programs, add_test, job_type):
    result = judge(job_type, programs['burn300'], add_test['in'])
    assert result['result_code'] == 'OK'
    assert 240 <= result['time_used'] <= 360


def test_fork_bomb_is_rv_in_exec(programs, add_test):
    result = judge('exec', programs['forkbomb'], add_test['in'], exec_time_limit=1000)
    assert result['result_code'] == 'RV'
    assert result['result_string'].startswith('intercepted forbidden syscall')


def _processes_named(name):
    """Live processes (zombies are dead already) with this name."""
    found = []
    for pid in os.listdir('/proc'):
        try:
            with open('/proc/%s/stat' % pid) as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.find('(') + 1:stat.rfind(')')]
        state = stat[stat.rfind(')') + 2:].split()[0]
        if comm == name and state not in ('Z', 'X'):
            found.append(pid)
    return found


def _survivors(name, bound=5.0):
    """Processes still alive after a generous bound (SIGKILL is asynchronous)."""
    give_up = time.monotonic() + bound
    while _processes_named(name) and time.monotonic() < give_up:
        time.sleep(0.05)
    return _processes_named(name)


def test_child_left_behind_does_not_survive_unsafe_exec(programs, add_test):
    result = judge('unsafe-exec', programs['orphan'], add_test['in'])
    assert result['result_code'] == 'OK'
    assert _survivors('sio-orphan') == []


def test_process_creation_in_exec_is_rv_and_leaves_nothing(programs, add_test):
    result = judge('exec', programs['orphan'], add_test['in'])
    assert result['result_code'] == 'RV'
    assert _survivors('sio-orphan') == []


def test_python_script_runs_by_exec_info(add_test, files):
    script = files(**{'sum.py': 'a, b = map(int, input().split())\nprint(a + b)\n'})
    result = judge('exec', script['sum.py'], add_test['in'], exec_info={'mode': 'python'},
                   exec_mem_limit=131072, check_output=True, hint_file=add_test['good'])
    assert result['result_code'] == 'OK', result['result_string']


def test_output_only_answer_is_the_output(add_test, files):
    result = judge('exec', add_test['good'], add_test['in'],
                   exec_info={'mode': 'output-only'}, check_output=True,
                   hint_file=add_test['spaced'])
    assert result['result_code'] == 'OK'
