"""The exec jobs as OIOIOI calls them, with results read the way OIOIOI
reads them (``oioioi/programs/handlers.py``)."""

import os
import zipfile
from fractions import Fraction

import pytest

from sio.workers import run

READS_DATA_AND_ARGS = r"""
#include <stdio.h>
int main(int argc, char **argv) {
    FILE *data = fopen("table.txt", "r");
    long a, b, extra = 0;
    if (!data || fscanf(data, "%ld", &extra) != 1) return 5;
    if (scanf("%ld %ld", &a, &b) != 2) return 6;
    printf("%ld", a + b + extra);
    for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
"""


def oioioi_test_job(job_type, exe, test_in, test_out, **extra):
    """A job as OIOIOI's run_tests builds it from one test's environ."""
    job = {'id': 17, 'name': '1a', 'in_file': test_in, 'hint_file': test_out,
           'kind': 'NORMAL', 'group': '1', 'max_score': 10, 'order': 0,
           'exec_time_limit': 1000, 'exec_mem_limit': 65536, 'to_judge': True,
           'job_type': job_type, 'task_priority': 50, 'exe_file': exe,
           'exec_info': {'mode': 'executable'}, 'check_output': True,
           'checker_format': 'english_abbreviated', 'untrusted_checker': True}
    job.update(extra)
    return job


def read_as_oioioi(result):
    """What OIOIOI's make_report takes from a test's result."""
    assert result['result'] == 'SUCCESS', result.get('exception')
    return (result['result_code'], result.get('result_string', ''),
            Fraction(*result.get('result_percentage', (0, 1))),
            result['time_used'], result['mem_used'])


@pytest.mark.parametrize('job_type', ['sio2jail-exec', 'cpu-exec', 'exec', 'unsafe-exec'])
def test_every_exec_mode_oioioi_names(programs, files, job_type):
    paths = files(**{'1a.in': '1 2\n', '1a.out': '3\n'})
    code, text, percentage, time_used, mem_used = read_as_oioioi(run(oioioi_test_job(
        job_type, programs['add'], paths['1a.in'], paths['1a.out'])))
    assert (code, text, percentage) == ('OK', 'ok', 100)
    assert time_used >= 0 and mem_used > 0


def test_a_checker_built_for_the_original_scores_exactly(programs, files):
    paths = files(**{'1a.in': '1 2\n', '1a.out': '3\n'})
    code, text, percentage, _, _ = read_as_oioioi(run(oioioi_test_job(
        'sio2jail-exec', programs['add'], paths['1a.in'], paths['1a.out'],
        chk_file=programs['chk_half'])))
    assert (code, text, percentage) == ('OK', 'half right', Fraction(1, 2) * 100)


def test_failures_are_told_in_the_originals_words(programs, files):
    paths = files(**{'1a.in': '1 2\n', '1a.out': '3\n'})
    results = [read_as_oioioi(run(oioioi_test_job(
        'sio2jail-exec', programs[name], paths['1a.in'], paths['1a.out'])))[:3]
        for name in ('segv', 'exit3')]
    # OIOIOI explains signals given as "process exited due to signal N".
    assert results == [('RE', 'process exited due to signal 11', 0),
                       ('RE', 'runtime error 3', 0)]


def test_saved_output_is_uploaded(programs, files, tmp_path):
    paths = files(**{'1a.in': '1 2\n', '1a.out': '3\n'})
    out = str(tmp_path / 'outs' / '1a.out')
    result = run(oioioi_test_job('sio2jail-exec', programs['add'], paths['1a.in'],
                                 paths['1a.out'], out_file=out, upload_out=True))
    assert read_as_oioioi(result)[0] == 'OK'
    assert result['out_file'] == out and open(out).read() == '3\n'


@pytest.mark.parametrize('job_type', ['sio2jail-exec', 'unsafe-exec'])
def test_extra_execution_files_and_args_of_a_sinol_package(gcc, files, job_type):
    paths = files(**{'1a.in': '1 2\n', '1a.out': '103 --fast x\n', 'table.txt': '100\n'})
    result = run(oioioi_test_job(
        job_type, gcc(READS_DATA_AND_ARGS), paths['1a.in'], paths['1a.out'],
        extra_execution_files={'table.txt': paths['table.txt']},
        extra_execution_args=['--fast', 'x']))
    assert read_as_oioioi(result)[:3] == ('OK', 'ok', 100)


@pytest.mark.parametrize('name', ['../escape', 'exe', 'a/b', ''])
def test_extra_execution_file_names_stay_beside_the_program(programs, files, name):
    paths = files(**{'1a.in': '1 2\n', '1a.out': '3\n', 'x': '1\n'})
    result = run(oioioi_test_job('sio2jail-exec', programs['add'], paths['1a.in'],
                                 paths['1a.out'], extra_execution_files={name: paths['x']}))
    assert result['result'] == 'FAILURE'
    assert 'extra_execution_files' in result['exception']


def test_a_zipped_test_input_is_unpacked(programs, files, tmp_path):
    paths = files(**{'1a.out': '3\n'})
    archive = str(tmp_path / 'testrun.zip')
    with zipfile.ZipFile(archive, 'w') as z:
        z.writestr('whatever-name.in', '1 2\n')
    result = run(oioioi_test_job('sio2jail-exec', programs['add'], archive,
                                 paths['1a.out']))
    assert read_as_oioioi(result)[:3] == ('OK', 'ok', 100)


def test_a_zip_of_two_files_is_refused(programs, files, tmp_path):
    paths = files(**{'1a.out': '3\n'})
    archive = str(tmp_path / 'two.zip')
    with zipfile.ZipFile(archive, 'w') as z:
        z.writestr('a.in', '1 2\n')
        z.writestr('b.in', '1 2\n')
    result = run(oioioi_test_job('sio2jail-exec', programs['add'], archive,
                                 paths['1a.out']))
    assert result['result'] == 'FAILURE' and 'exactly one' in result['exception']


def test_wall_clock_limit_is_told_apart(programs, files):
    paths = files(**{'1a.in': '', '1a.out': '\n'})
    result = run(oioioi_test_job('sio2jail-exec', programs['sleep'], paths['1a.in'],
                                 paths['1a.out'], exec_real_time_limit=300))
    assert read_as_oioioi(result)[:2] == ('TLE', 'real time limit exceeded')
    assert os.path.exists(paths['1a.in'])
