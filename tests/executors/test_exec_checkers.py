"""Custom checkers and the default comparison."""

import pytest

from sio.workers import run


def judge(programs, files, chk=None, hint='3\n', out_program='add'):
    paths = files(**{'in': '1 2\n', 'hint': hint})
    environ = dict(job_type='exec', exe_file=programs[out_program], in_file=paths['in'],
                   check_output=True, hint_file=paths['hint'])
    if chk:
        environ['chk_file'] = programs[chk]
    return run(environ)


def test_checker_ok_with_comment_and_percentage(programs, files):
    result = judge(programs, files, chk='chk_half')
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert (result['result_code'], result['result_string'], result['result_percentage']) \
        == ('OK', 'half right', 50)


def test_checker_wrong(programs, files):
    result = judge(programs, files, chk='chk_half', out_program='exit3')
    assert result['result_code'] == 'RE'  # not checked: the run failed
    paths = files(**{'in': '2 2\n', 'hint': '3\n'})
    result = run(dict(job_type='exec', exe_file=programs['add'], in_file=paths['in'],
                      check_output=True, hint_file=paths['hint'], chk_file=programs['chk_half']))
    assert (result['result_code'], result['result_string'], result['result_percentage']) \
        == ('WA', 'expected 3', 0)


@pytest.mark.parametrize('chk, said', [('chk_crash', 'SIGSEGV'), ('chk_flood', 'printed more')])
def test_broken_checker_is_a_system_failure(programs, files, chk, said):
    result = judge(programs, files, chk=chk)
    assert result['result'] == 'FAILURE'
    assert 'checker' in result['exception'] and said in result['exception']
    assert result.get('result_code') != 'OK'


@pytest.mark.parametrize('hint, code', [
    ('3', 'OK'), ('3   \n\n\n', 'OK'), ('  3\n', 'OK'), ('3\n4\n', 'WA'), ('33\n', 'WA'),
    ('', 'WA'),
])
def test_default_comparison(programs, files, hint, code):
    assert judge(programs, files, hint=hint)['result_code'] == code


def test_default_comparison_of_a_large_output(files, tmp_path):
    line = ' '.join(str(i) for i in range(100)) + '\n'
    big = line * 100000  # about 29 MB
    paths = files(**{'in': '', 'answer': big, 'hint': big.replace(' ', '  ')})
    result = run(dict(job_type='exec', exe_file=paths['answer'], in_file=paths['in'],
                      exec_info={'mode': 'output-only'}, check_output=True,
                      hint_file=paths['hint']))
    assert result['result_code'] == 'OK'
