"""The sample problem, judged as ``make demo`` judges it."""

import os
import shutil

from tests.judge.packages import judged, sio_judge, verdicts

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, 'examples', 'range-sums')


def test_sample_solutions_get_the_expected_verdicts_and_points():
    status, report = judged(SAMPLE, '-j', '2')
    assert status == 0
    solutions = {solution['name']: solution for solution in report['solutions']}
    assert list(solutions) == ['sum.c', 'sum1.py', 'sums1.py', 'sumb1.c']
    assert set(verdicts(solutions['sum.c']).values()) == {'OK'}
    assert set(verdicts(solutions['sum1.py']).values()) == {'OK'}
    assert verdicts(solutions['sumb1.c'])['sum2'] == 'WA'
    assert verdicts(solutions['sums1.py'])['sum3'] == 'TLE'
    assert [s['points'] for s in solutions.values()] == [100, 100, 60, 60]
    assert all(s['differences'] == [] for s in solutions.values())


def test_the_sample_tests_are_what_its_generator_and_model_make(tmp_path):
    copy = str(tmp_path / 'range-sums')
    shutil.copytree(SAMPLE, copy)
    for directory in ('in', 'out'):
        shutil.rmtree(os.path.join(copy, directory))
    out = sio_judge(copy, 'sum.c')
    assert out.returncode == 0, out.stderr
    for directory in ('in', 'out'):
        for name in os.listdir(os.path.join(SAMPLE, directory)):
            with open(os.path.join(SAMPLE, directory, name)) as a, \
                    open(os.path.join(copy, directory, name)) as b:
                assert a.read() == b.read(), name
