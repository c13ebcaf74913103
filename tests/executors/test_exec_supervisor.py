"""What the program supervisor makes exact: memory measured from the program
itself, the CPU limit to the millisecond, signals and exit codes as they
were, nothing left behind, and its build."""

import json
import os
import secrets
import signal
import subprocess
import time

import pytest

from sio.workers import run
from tests.support import tool

ISOLATED_AND_NOT = ['exec', 'unsafe-exec']
PROGRAMS_DIR = os.path.join(os.path.dirname(__file__), 'programs')


def judge(job_type, exe, in_file, **keys):
    result = run(dict(job_type=job_type, exe_file=exe, in_file=in_file, **keys))
    assert result['result'] == 'SUCCESS', result.get('exception')
    return result


@pytest.fixture
def empty_input(files):
    return files(empty='')['empty']


@pytest.fixture(scope='module')
def static_exit150(tmp_path_factory):
    target = str(tmp_path_factory.mktemp('static') / 'exit150')
    subprocess.run(['gcc', '-O2', '-static', '-o', target,
                    os.path.join(PROGRAMS_DIR, 'exit150.c')], check=True)
    return target


def processes_named(name):
    """PIDs of the processes whose name (comm) is ``name``."""
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/comm' % entry) as f:
                    if f.read().strip() == name:
                        found.append(int(entry))
            except OSError:
                pass
    return found


def kill_all(name):
    for pid in processes_named(name):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_tiny_static_program_uses_little_memory(static_exit150, programs, empty_input,
                                                job_type):
    small = judge(job_type, static_exit150, empty_input)
    assert small['mem_used'] < 5 * 1024, small
    touching = judge(job_type, programs['touch32'], empty_input, exec_mem_limit=131072)
    assert touching['result_code'] == 'OK'
    assert touching['mem_used'] >= 32 * 1024


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_spinning_past_one_second_is_tle_every_time(programs, empty_input, job_type):
    for _ in range(3):
        result = judge(job_type, programs['spin'], empty_input, exec_time_limit=1000,
                       exec_real_time_limit=20000)
        assert (result['result_code'], result['result_string']) == \
            ('TLE', 'time limit exceeded'), result
        assert result['time_used'] >= 1000


def test_spinning_program_is_stopped_at_its_limit_not_the_next_second(programs,
                                                                      empty_input):
    result = judge('exec', programs['spin'], empty_input, exec_time_limit=1500,
                   exec_real_time_limit=20000)
    assert result['result_code'] == 'TLE'
    # The kernel's whole-second limit would have let it burn 2000 ms.
    assert 1500 <= result['time_used'] < 2000, result


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_abort_is_sigabrt(programs, empty_input, job_type):
    result = judge(job_type, programs['abort'], empty_input)
    assert (result['result_code'], result['result_string']) == ('RE', {
        'exec': 'process exited due to signal 6',
        'unsafe-exec': 'program exited due to signal 6'}[job_type])


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_exit_code_150_is_an_exit_code(programs, empty_input, job_type):
    result = judge(job_type, programs['exit150'], empty_input)
    assert (result['result_code'], result['result_string']) == ('RE', {
        'exec': 'runtime error 150', 'unsafe-exec': 'program exited with code 150'}[job_type])


def test_grandchild_in_a_new_session_does_not_survive(programs, files, tmp_path):
    name = 'sio-esc-' + secrets.token_hex(3)
    out = str(tmp_path / 'out')
    try:
        result = judge('unsafe-exec', programs['escape'],
                       files(name=name + '\n')['name'], out_file=out)
        assert result['result_code'] == 'OK', result
        assert open(out).read() == 'left it behind\n'  # it did leave one
        assert processes_named(name) == []
    finally:
        kill_all(name)


def test_mle_when_the_worker_is_bigger_than_the_limit(programs, empty_input):
    ballast = bytearray(b'\1') * (100 << 20)  # written, so resident
    try:
        for job_type in ISOLATED_AND_NOT:
            result = judge(job_type, programs['hog'], empty_input, exec_mem_limit=65536)
            assert (result['result_code'], result['result_string']) == \
                ('MLE', 'memory limit exceeded'), result
            assert result['mem_used'] < 65536 + 1024
    finally:
        del ballast


@pytest.mark.parametrize('job_type', ISOLATED_AND_NOT)
def test_program_dies_with_a_killed_worker(programs, files, tmp_path, job_type):
    name = 'sio-lin-' + secrets.token_hex(3)
    environ = dict(job_type=job_type, exe_file=programs['linger'],
                   in_file=files(name=name + '\n')['name'], exec_time_limit=60000)
    env = dict(os.environ, environ=json.dumps(environ))
    worker = subprocess.Popen([tool('sio-batch')], env=env, cwd=str(tmp_path),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: processes_named(name))
        worker.kill()
        worker.wait()
        assert wait_for(lambda: not processes_named(name), seconds=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        kill_all(name)


def test_concurrent_first_builds_share_one_binary(tmp_path):
    env = dict(os.environ, SIO_CACHE_DIR=str(tmp_path / 'cache'))
    python = os.path.join(os.path.dirname(tool('sio-batch')), 'python')
    builders = [subprocess.Popen([python, '-m', 'sio.workers.process', '--build'],
                                 env=env, stdout=subprocess.PIPE, text=True)
                for _ in range(4)]
    paths = {builder.communicate(timeout=120)[0].strip() for builder in builders}
    assert [builder.returncode for builder in builders] == [0] * 4
    (path,) = paths
    assert os.path.dirname(path) == str(tmp_path / 'cache' / 'bin')
    assert sorted(os.listdir(os.path.dirname(path))) == \
        ['.sio-supervisor.lock', os.path.basename(path)]
    report = subprocess.run([path, '--', 'true'], capture_output=True, text=True)
    assert report.stderr.startswith('exit_code=0 ')


def test_missing_c_compiler_is_named(sio_batch, programs, tmp_path, files):
    environ = dict(job_type='unsafe-exec', exe_file=programs['exit150'],
                   in_file=files(empty='')['empty'])
    out = sio_batch(environ, env={'SIO_CACHE_DIR': str(tmp_path / 'fresh-cache'),
                                  'CC': 'no-such-cc'})
    assert out.returncode == 0
    result = out.environ
    assert result['result'] == 'FAILURE'
    assert "'no-such-cc'" in result['exception']
    assert 'gcc and libc6-dev' in result['exception']


@pytest.mark.parametrize('isolated', [True, False], ids=['isolated', 'unisolated'])
def test_the_supervisor_stamps_when_the_program_ended(programs, tmp_path, isolated):
    # On the monotonic clock, so that two programs' ends can be ordered
    # whatever their wrappers took to close after them.
    from sio.workers.process import Isolation, Limits, run_program

    isolation = Isolation(slot=True, scratch_bytes=1 << 20,
                          readonly=(programs['sleep'],)) if isolated else None
    before = time.monotonic_ns()
    result = run_program([programs['sleep']], cwd=str(tmp_path), limits=Limits(
        cpu_ms=5000, wall_ms=200, processes=1), isolation=isolation)
    after = time.monotonic_ns()
    assert result.wall_limit_exceeded
    assert before + 200 * 10 ** 6 <= result.ended_ns <= after


def test_unprotected_runs_share_a_resident_supervisor_and_outlive_its_death(
        programs, empty_input):
    from sio.workers.process import _resident

    first = judge('unsafe-exec', programs['exit3'], empty_input)
    assert first['result_string'] == 'program exited with code 3'
    resident = _resident._server[3]
    assert judge('unsafe-exec', programs['exit3'], empty_input)['result_code'] == 'RE'
    assert _resident._server[3] == resident
    os.kill(resident, signal.SIGKILL)
    # The run right after may still be taken by the standby the killed one
    # had forked; the one after that has a new resident supervisor.
    for _ in range(2):
        again = judge('unsafe-exec', programs['exit3'], empty_input)
        assert again['result_string'] == 'program exited with code 3'
    assert _resident._server[3] != resident


def test_a_killed_standby_costs_no_run(programs, empty_input):
    # The resident supervisor keeps a fork of itself waiting for the next
    # run; when that standby is gone, the next run still gets a supervisor.
    from sio.workers.process import _resident

    assert judge('unsafe-exec', programs['exit3'], empty_input)['result_code'] == 'RE'
    resident = _resident._server[3]
    with open('/proc/%d/task/%d/children' % (resident, resident)) as f:
        standbys = [int(pid) for pid in f.read().split()]
    assert standbys, 'no standby forked in advance'
    for pid in standbys:
        os.kill(pid, signal.SIGKILL)
    for _ in range(3):
        again = judge('unsafe-exec', programs['exit3'], empty_input)
        assert again['result_string'] == 'program exited with code 3'
