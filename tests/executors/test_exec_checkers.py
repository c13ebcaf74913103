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
        == ('OK', 'half right', (50, 1))


def test_checker_wrong(programs, files):
    result = judge(programs, files, chk='chk_half', out_program='exit3')
    assert result['result_code'] == 'RE'  # not checked: the run failed
    paths = files(**{'in': '2 2\n', 'hint': '3\n'})
    result = run(dict(job_type='exec', exe_file=programs['add'], in_file=paths['in'],
                      check_output=True, hint_file=paths['hint'], chk_file=programs['chk_half']))
    assert (result['result_code'], result['result_string'], result['result_percentage']) \
        == ('WA', 'expected 3', (0, 1))


@pytest.mark.parametrize('chk, said', [('chk_crash', 'signal 11'), ('chk_flood', 'printed more')])
def test_broken_checker_is_a_system_failure(programs, files, chk, said):
    result = judge(programs, files, chk=chk)
    assert result['result'] == 'FAILURE'
    assert 'checker' in result['exception'] and said in result['exception']
    assert result.get('result_code') != 'OK'


def judge_with(programs, files, chk_file):
    """``add`` on 1 2, judged by ``chk_file``."""
    paths = files(**{'in': '1 2\n', 'hint': '3\n'})
    return run(dict(job_type='exec', exe_file=programs['add'], in_file=paths['in'],
                    check_output=True, hint_file=paths['hint'], chk_file=chk_file))


def checker_printing(gcc, text, status=0):
    """A checker that prints ``text`` and exits with ``status``."""
    literal = text.replace('\\', '\\\\').replace('\n', '\\n').replace('"', '\\"')
    return gcc('#include <stdio.h>\nint main(void) { fputs("%s", stdout); return %d; }\n'
               % (literal, status))


@pytest.mark.parametrize('printed, percentage', [
    ('OK\n\n84/2\n', (42, 1)), ('OK\n\n1/3\n', (1, 3)), ('OK\n\n5e1\n', (50, 1)),
    ('OK\n\n12.5\n', (25, 2)), ('OK\n', (100, 1)), ('OK\nfine\n  100  \n', (100, 1)),
])
def test_checker_percentages_are_kept_exact(programs, files, gcc, printed, percentage):
    result = judge_with(programs, files, checker_printing(gcc, printed))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert (result['result_code'], tuple(result['result_percentage'])) == ('OK', percentage)


@pytest.mark.parametrize('printed, status, code', [
    ('', 0, 'WA'), ('WRONG\n', 1, 'WA'), ('OK\n', 1, 'OK'),
])
def test_checker_silence_is_wrong_and_status_1_is_a_verdict(programs, files, gcc, printed,
                                                          status, code):
    result = judge_with(programs, files, checker_printing(gcc, printed, status))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == code


@pytest.mark.parametrize('printed, status, said', [
    ('OK\n', 2, 'code 2'), ('OK\n\nhalf\n', 0, "'half'"), ('OK\n\n1/0\n', 0, 'denominator 0'),
])
def test_checker_exit_2_or_a_bad_percentage_is_a_system_failure(programs, files, gcc, printed,
                                                               status, said):
    result = judge_with(programs, files, checker_printing(gcc, printed, status))
    assert result['result'] == 'FAILURE'
    assert 'checker' in result['exception'] and said in result['exception']


def test_a_long_comment_is_cut_to_1024_bytes(programs, files, gcc):
    result = judge_with(programs, files, checker_printing(gcc, 'WRONG\n' + 'x' * 3000 + '\n'))
    assert result['result_code'] == 'WA'
    assert len(result['result_string']) == 1024 and result['result_string'].endswith('[...]')


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
