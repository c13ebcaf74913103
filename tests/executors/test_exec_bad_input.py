"""Bad input to the exec jobs: a FAILURE naming the key."""

import pytest

from sio.workers import run


@pytest.fixture
def base(programs, files):
    paths = files(**{'in': '1 2\n', 'text': 'not a program\n'})
    return dict(job_type='exec', exe_file=programs['add'], in_file=paths['in']), paths


@pytest.mark.parametrize('change, key', [
    ({'exe_file': None}, 'exe_file'),
    ({'in_file': None}, 'in_file'),
    ({'check_output': True}, 'hint_file'),
    ({'check_output': True, 'hint_file': '/nonexistent/hint'}, 'hint_file'),
    ({'exec_time_limit': -5}, 'exec_time_limit'),
    ({'exec_mem_limit': 'lots'}, 'exec_mem_limit'),
    ({'exec_real_time_limit': 1.5}, 'exec_real_time_limit'),
    ({'exec_out_limit': -1}, 'exec_out_limit'),
    ({'exec_info': {'mode': 'cobol'}}, 'exec_info'),
])
def test_bad_key_fails_naming_it(base, change, key):
    environ, _ = base
    for name, value in change.items():
        if value is None:
            environ.pop(name)
        else:
            environ[name] = value
    result = run(environ)
    assert result['result'] == 'FAILURE'
    assert key in result['exception']


def test_non_executable_file_fails_naming_exe_file(base):
    environ, paths = base
    environ['exe_file'] = paths['text']
    result = run(environ)
    assert result['result'] == 'FAILURE'
    assert 'exe_file' in result['exception'] and 'not an executable' in result['exception']
