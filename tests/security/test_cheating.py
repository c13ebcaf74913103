"""Cheating: the expected output, the checker, a forged report."""

import pytest

from sio.workers import run


@pytest.mark.parametrize('job_type', ['exec', 'cpu-exec'])
@pytest.mark.parametrize('checker', [False, True])
def test_expected_output_is_out_of_reach(attacks, tmp_path, job_type, checker):
    (tmp_path / 'in').write_text('what is the answer?\n')
    (tmp_path / 'hint').write_text('the expected answer\n')
    out = tmp_path / 'out'
    environ = dict(job_type=job_type, exe_file=attacks['peek'], in_file=str(tmp_path / 'in'),
                   out_file=str(out), check_output=True, hint_file=str(tmp_path / 'hint'))
    if checker:
        environ['chk_file'] = attacks['compare']
    result = run(environ)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert out.read_text() == 'nothing\n'
    assert result['result_code'] == 'WA'


@pytest.mark.parametrize('job_type', ['exec', 'cpu-exec'])
def test_a_forged_report_does_not_hide_the_time_used(attacks, tmp_path, job_type):
    (tmp_path / 'in').write_text('\n')
    result = run(dict(job_type=job_type, exe_file=attacks['forge'],
                      in_file=str(tmp_path / 'in'), exec_time_limit=500))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'TLE'
    assert result['time_used'] >= 500
