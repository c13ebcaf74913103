"""sio.workers.executors and file_runners: real programs, real isolation."""

import os
import shutil

import pytest

from sio.workers import Failure
from sio.workers.executors import (DetailedUnprotectedExecutor, ExecError, PRootExecutor,
                                   RealTimeSio2JailExecutor, SandboxExecutor,
                                   Sio2JailExecutor, SupervisedExecutor,
                                   UnprotectedExecutor, noquote, ulimit)
from sio.workers.file_runners import (Executable, Java, NoFileRunner, Python,
                                      get_file_runner)
from sio.workers.util import TemporaryCwd, tempcwd

ISOLATED = (SupervisedExecutor, Sio2JailExecutor, RealTimeSio2JailExecutor)


@pytest.fixture
def job_dir():
    with TemporaryCwd():
        yield tempcwd()


def _run(executor, program, stdin_text='', args=(), **kwargs):
    shutil.copy(program, tempcwd('exe'))
    with open(tempcwd('in'), 'w') as f:
        f.write(stdin_text)
    with executor, open(tempcwd('in'), 'rb') as stdin:
        return executor(['./exe'] + list(args), stdin=stdin, capture_output=True,
                        **kwargs)


def test_detailed_unprotected_judges_as_the_original(job_dir, compiled):
    ok = _run(DetailedUnprotectedExecutor(), compiled('add'), '2 3\n', time_limit=2000)
    assert (ok['result_code'], ok['result_string'], ok['stdout']) == ('OK', 'ok', b'5\n')
    assert ok['return_code'] == 0 and isinstance(ok['time_used'], int)
    assert ok['num_syscalls'] == 0 and ok['mem_used'] > 0
    code = _run(DetailedUnprotectedExecutor(), compiled('exit42'), ignore_errors=True)
    assert (code['result_code'], code['result_string'], code['return_code']) == (
        'RE', 'program exited with code 42', 42)
    killed = _run(DetailedUnprotectedExecutor(), compiled('abort'), ignore_errors=True)
    assert (killed['result_code'], killed['exit_signal'], killed['return_code']) == (
        'RE', 6, 134)
    assert killed['result_string'] == 'program exited due to signal 6'
    spin = _run(DetailedUnprotectedExecutor(), compiled('spin'), time_limit=300,
                real_time_limit=20000, ignore_errors=True)
    assert (spin['result_code'], spin['result_string']) == ('TLE', 'time limit exceeded')
    assert spin['time_used'] >= 285


def test_errors_raise_exec_error_unless_ignored(job_dir, compiled):
    with pytest.raises(ExecError):
        _run(UnprotectedExecutor(), compiled('exit42'))
    assert _run(UnprotectedExecutor(), compiled('exit42'),
                extra_ignore_errors=(42,))['return_code'] == 42
    with pytest.raises(ExecError, match='exited with code 42'):
        _run(SupervisedExecutor(), compiled('exit42'))
    assert _run(SupervisedExecutor(), compiled('exit42'),
                ignore_return=True)['result_code'] == 'OK'


def test_limits_come_from_the_environ_with_its_prefix(job_dir, compiled):
    renv = _run(DetailedUnprotectedExecutor(), compiled('spin'), ignore_errors=True,
                time_limit=10000, environ={'exec_time_limit': 200},
                environ_prefix='exec_')
    assert renv['result_code'] == 'TLE' and renv['time_used'] < 2000


@pytest.mark.parametrize('executor', ISOLATED)
def test_isolated_executors_judge_and_confine(job_dir, compiled, tmp_path, executor):
    ok = _run(executor(), compiled('add'), '40 2\n', time_limit=2000)
    assert (ok['result_code'], ok['stdout'], ok['return_code']) == ('OK', b'42\n', 0)
    forked = _run(executor(), compiled('fork'), ignore_errors=True)
    assert forked['result_code'] == 'RV'
    hog = _run(executor(), compiled('hog'), mem_limit=32 * 1024, ignore_errors=True)
    assert hog['result_code'] in ('MLE', 'RE') and hog['result_code'] != 'OK'
    secret = tmp_path / 'secret'
    secret.write_text('x')
    assert _run(executor(), compiled('peek'), args=[str(secret)])['stdout'] == b'hidden\n'
    assert _run(UnprotectedExecutor(), compiled('peek'),
                args=[str(secret)])['stdout'] == b'seen\n'


def test_isolated_output_limit_and_signal(job_dir, compiled):
    with open(tempcwd('out'), 'wb') as out:
        shutil.copy(compiled('chatter'), tempcwd('exe'))
        with Sio2JailExecutor() as executor:
            renv = executor(['./exe'], stdout=out, output_limit=1000, ignore_errors=True)
    assert renv['result_code'] == 'OLE'
    assert os.path.getsize(tempcwd('out')) <= 1001
    killed = _run(SupervisedExecutor(), compiled('abort'), ignore_errors=True)
    assert killed['result_code'] == 'RE' and killed['exit_signal'] == 6
    assert killed['result_string'] == 'process exited due to signal 6'


def test_captured_output_is_limited_too(job_dir, compiled):
    renv = _run(SupervisedExecutor(), compiled('chatter'), output_limit=4096,
                ignore_errors=True)
    assert renv['result_code'] == 'OLE' and len(renv['stdout']) <= 4097


def test_real_time_sio2jail_measures_the_wall_clock(job_dir, compiled):
    spin = _run(RealTimeSio2JailExecutor(), compiled('spin'), time_limit=300,
                ignore_errors=True)
    assert spin['result_code'] == 'TLE' and spin['time_used'] >= 300


def test_shell_syntax_and_the_rcwd_of_a_root_file_system(job_dir, compiled):
    with UnprotectedExecutor() as executor:
        renv = executor(['echo', 'a b', noquote('|'), 'tr', 'a', 'z'], capture_output=True)
    assert renv['stdout'] == b'z b\n'
    shutil.copy(compiled('add'), tempcwd('exe'))
    with open(tempcwd('in'), 'w') as f:
        f.write('1 1\n')
    with PRootExecutor() as executor:
        renv = executor([executor.rcwd('exe'), noquote('<'), executor.rcwd('in')],
                        capture_output=True)
    assert renv['stdout'] == b'2\n'
    assert ulimit(['./a'], mem_limit=1024, time_limit=1500)[:3] == ['ulimit', '-t', '2']


def test_a_sandbox_that_cannot_be_had_is_a_failure_naming_it(monkeypatch):
    monkeypatch.delenv('FILETRACKER_URL', raising=False)
    with pytest.raises(Failure, match="SandboxExecutor needs the sandbox 'no-such-box'"):
        SandboxExecutor('no-such-box')
    with pytest.raises(Failure, match="Sio2JailExecutor needs the sandbox 'other-box'"):
        Sio2JailExecutor('other-box')


def test_file_runners_pick_by_mode_and_executor(job_dir, compiled):
    assert isinstance(get_file_runner(Sio2JailExecutor(), {}), Executable)
    java = get_file_runner(UnprotectedExecutor(),
                           {'exec_info': {'mode': 'java', 'main_class': 'Main'}})
    assert isinstance(java, Java) and java.preferred_filename() == 'Main.jar'
    assert isinstance(get_file_runner(SupervisedExecutor(),
                                      {'exec_info': {'mode': 'python'}}), Python)
    with pytest.raises(NoFileRunner):
        get_file_runner(Sio2JailExecutor(), {'exec_info': {'mode': 'java'}})
    with pytest.raises(SystemError):  # what the original raised
        get_file_runner(UnprotectedExecutor(), {'exec_info': {'mode': 'brainfuck'}})
    shutil.copy(compiled('add'), tempcwd('exe'))
    with open(tempcwd('in'), 'w') as f:
        f.write('7 8\n')
    runner = get_file_runner(DetailedUnprotectedExecutor(), {})
    with runner, open(tempcwd('in'), 'rb') as stdin:
        renv = runner('exe', [], stdin=stdin, capture_output=True)
    assert (renv['result_code'], renv['stdout']) == ('OK', b'15\n')


def test_python_scripts_run_isolated(job_dir):
    with open(tempcwd('exe.py'), 'w') as f:
        f.write('print(sum(map(int, input().split())))\n')
    with open(tempcwd('in'), 'w') as f:
        f.write('3 4\n')
    runner = get_file_runner(Sio2JailExecutor(), {'exec_info': {'mode': 'python'}})
    with runner, open(tempcwd('in'), 'rb') as stdin:
        renv = runner(tempcwd('exe.py'), [], stdin=stdin, capture_output=True)
    assert (renv['result_code'], renv['stdout']) == ('OK', b'7\n')
