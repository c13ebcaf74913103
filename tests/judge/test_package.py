"""The package rules themselves: test names, limits, scores."""

import pytest

from sio.sinol import PackageError, scoring
from sio.sinol.package import Package
from tests.judge.packages import make_package

CONFIG = '''\
sinol_task_id: abc
time_limit: 1000
memory_limit: 65536
time_limits: {1: 2000, 2a: 3000}
memory_limits: {2: 1024}
override_limits:
  py:
    time_limit: 5000
    time_limits: {2: 7000}
'''


@pytest.fixture
def package(tmp_path):
    tests = {name: (1, 1) for name in ('abc0', 'abc1a', 'abc10b', 'abc2a', 'abc2ocen',
                                       'abc3')}
    root = make_package(tmp_path / 'abc', {'abc.cpp': '', 'abcs2.c': '', 'abcb1_x.py': '',
                                           'abc3.c': '', 'abcchk.cpp': '', 'other.c': ''},
                        config=CONFIG, tests=tests)
    return Package(root)


def test_groups_come_from_test_names(package):
    tests = package.tests()
    assert [(t.name, t.group) for t in tests] == [
        ('abc0', 0), ('abc2ocen', 0), ('abc1a', 1), ('abc2a', 2), ('abc3', 3),
        ('abc10b', 10)]


def test_solutions_are_ordered_model_first_and_helpers_found(package):
    assert package.solutions() == ['abc.cpp', 'abc3.c', 'abcs2.c', 'abcb1_x.py']
    assert package.program('chk').endswith('/prog/abcchk.cpp')
    assert package.program('ingen') is None


def test_limits_per_test_group_and_language(package):
    tests = {t.name: t for t in package.tests()}
    assert package.limit('time', tests['abc1a'], 'cpp') == 2000
    assert package.limit('time', tests['abc2a'], 'cpp') == 3000
    assert package.limit('time', tests['abc3'], 'cpp') == 1000
    assert package.limit('memory', tests['abc2a'], 'c') == 1024
    assert package.limit('time', tests['abc2a'], 'py') == 7000
    assert package.limit('time', tests['abc1a'], 'py') == 5000
    assert package.limit('memory', tests['abc3'], 'py') == 65536


def test_scores_are_shared_equally_without_a_scores_setting():
    assert scoring.group_scores({}, [0, 1, 2, 3]) == {0: 0, 1: 33, 2: 33, 3: 34}
    with pytest.raises(PackageError):
        scoring.group_scores({'scores': {'1': 100}}, [1, 2])


def test_an_oi_contest_takes_points_for_time_over_half_the_limit():
    ok = {'result_code': 'OK', 'result_percentage': (100, 1), 'time_used': 500}
    assert scoring.test_percentage(ok, 1000, 'oi') == 100
    assert scoring.test_percentage(dict(ok, time_used=750), 1000, 'oi') == 50
    assert scoring.test_percentage(dict(ok, time_used=1000), 1000, 'oi') == 1
    assert scoring.test_percentage(dict(ok, time_used=750), 1000) == 100
    assert scoring.test_percentage(dict(ok, result_code='WA'), 1000) == 0
