"""Jobs and a compiler written for the original, run through our run()."""

import os
import signal
import zipfile

import pytest

from sio.executors.checker import CheckerError, output_to_fraction
from sio.workers import ft, run
from tests.compat.conftest import SOURCES
from tests.support import free_port

CHECKER = ('#include <stdio.h>\nint main(int c, char **v) {'
           ' FILE *o = fopen(v[2], "r"); long x = 0; fscanf(o, "%ld", &x);'
           ' if (x == 42) printf("OK\\nhalf right\\n50\\n");'
           ' else printf("WRONG\\nnot 42\\n"); return 0; }\n')


def _write(path, text):
    path.write_text(text)
    return str(path)


@pytest.fixture
def solution(tmp_path):
    """Compiled by the original-style compiler plugin; its environ."""
    environ = run({'job_type': 'compile', 'compiler': 'test-original-gcc',
                   'source_file': _write(tmp_path / 'add.c', SOURCES['add']),
                   'out_file': str(tmp_path / 'add.e')})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    return environ


def test_the_original_compiler_base_compiles_and_reports(solution, tmp_path):
    assert solution['result_code'] == 'OK'
    assert solution['exec_info'] == {'mode': 'executable'}
    assert os.access(solution['out_file'], os.X_OK)
    broken = run({'job_type': 'compile', 'compiler': 'test-original-gcc',
                  'source_file': _write(tmp_path / 'bad.c', 'int main( {'),
                  'out_file': str(tmp_path / 'bad.e')})
    assert broken['result_code'] == 'CE' and 'error' in broken['compiler_output']
    assert 'exec_info' not in broken


def test_a_compiler_sandbox_that_cannot_be_had_names_it(monkeypatch):
    from sio.compilers.common import Compiler
    from sio.workers import Failure

    class Sandboxed(Compiler):
        lang = 'c'
        sandbox = 'gcc.4_8_2'

    monkeypatch.delenv('FILETRACKER_URL', raising=False)
    with pytest.raises(Failure, match="'compiler-gcc.4_8_2'"):
        Sandboxed()


@pytest.mark.parametrize('job', ['test-original-detailed-exec', 'test-original-jailed-exec'])
def test_exec_jobs_over_common_run(solution, tmp_path, job):
    base = {'job_type': job, 'exe_file': solution['out_file'],
            'exec_info': solution['exec_info'], 'check_output': True,
            'in_file': _write(tmp_path / 'in', '40 2\n'),
            'hint_file': _write(tmp_path / 'hint', '42\n'),
            'out_file': str(tmp_path / 'out'), 'exec_time_limit': 2000,
            'exec_mem_limit': 65536}
    ok = run(dict(base))
    assert ok['result'] == 'SUCCESS', ok.get('exception')
    assert (ok['result_code'], ok['result_string'], ok['result_percentage']) == (
        'OK', 'ok', (100, 1))
    assert {'time_used', 'mem_used', 'num_syscalls'} <= set(ok)
    assert (tmp_path / 'out').read_text() == '42\n'
    wrong = run(dict(base, in_file=_write(tmp_path / 'in2', '1 1\n')))
    assert (wrong['result_code'], wrong['result_percentage']) == ('WA', (0, 1))


def test_a_checker_and_a_zipped_input(solution, tmp_path):
    checker = run({'job_type': 'compile', 'compiler': 'test-original-gcc',
                   'source_file': _write(tmp_path / 'chk.c', CHECKER),
                   'out_file': str(tmp_path / 'chk.e')})
    with zipfile.ZipFile(tmp_path / 'in.zip', 'w') as archive:
        archive.writestr('test.in', '40 2\n')
    environ = run({'job_type': 'test-original-detailed-exec',
                   'exe_file': solution['out_file'], 'in_file': str(tmp_path / 'in.zip'),
                   'hint_file': _write(tmp_path / 'hint', '42\n'),
                   'chk_file': checker['out_file'], 'check_output': True})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert (environ['result_code'], environ['result_string'],
            environ['result_percentage']) == ('OK', 'half right', (50, 1))


def test_output_to_fraction_reads_what_checkers_print():
    assert output_to_fraction('42') == (42, 1)
    assert output_to_fraction('42.125') == (337, 8)
    assert output_to_fraction('84/2') == (42, 1)
    assert output_to_fraction(b'1e2') == (100, 1)
    assert output_to_fraction('') == (100, 1)
    for bad in ('42/0', '4 2', 'abc', '1/2/3'):
        with pytest.raises(CheckerError):
            output_to_fraction(bad)


def test_init_instance_makes_the_process_client(filetracker_server, tmp_path):
    source = _write(tmp_path / 'a.txt', 'stored')
    ft.init_instance(filetracker_server)
    try:
        stored = ft.upload({}, 'f', source, dest='/compat/a.txt')
        assert stored.startswith('/compat/a.txt@')
        ft.download({'f': stored}, 'f', str(tmp_path / 'back.txt'))
    finally:
        ft.set_instance(None)
    assert (tmp_path / 'back.txt').read_text() == 'stored'


def test_launch_filetracker_server_starts_one_only_when_none_answers(
        monkeypatch, tmp_path, filetracker_server):
    monkeypatch.delenv('FILETRACKER_PUBLIC_URL', raising=False)
    assert ft.launch_filetracker_server() is None
    monkeypatch.setenv('FILETRACKER_PUBLIC_URL', filetracker_server)
    assert ft.launch_filetracker_server() is None
    url = 'http://127.0.0.1:%d' % free_port()
    monkeypatch.setenv('FILETRACKER_PUBLIC_URL', url)
    monkeypatch.setenv('FILETRACKER_DIR', str(tmp_path / 'store'))
    pid = ft.launch_filetracker_server()
    try:
        from sio.workers.ftserver import answers

        assert pid and answers(url)
    finally:
        _stop_group(pid)


def _stop_group(pid):
    """SIGINT to the server's group (gunicorn's quick shutdown), then waits
    for the server, which this process started, and kills what is left."""
    import time

    os.killpg(pid, signal.SIGINT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
