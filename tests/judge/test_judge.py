"""sio-judge on small sinol packages: verdicts, points, exit status."""

import os

from tests.judge.packages import (CHECKER, CONFIG, INGEN, INWER, MODEL, OFF_BY_ONE, SLOW,
                                  WRONG, judged, make_package, sio_judge, verdicts)

EXPECTED = '''\
sinol_expected_scores:
  abc.c:
    expected:
      1: {status: OK, points: 40}
      2: {status: OK, points: 60}
    points: 100
  abcb1.c:
    expected: {1: OK, 2: OK}
    points: 100
'''


def _by_name(report):
    return {solution['name']: solution for solution in report['solutions']}


def test_every_solution_is_judged_on_every_test_with_points_per_group(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcb1.c': WRONG,
                                           'abcs1.c': SLOW})
    status, report = judged(root, '-j', '2')
    assert status == 0
    assert [test['name'] for test in report['tests']] == [
        'abc0', 'abc1a', 'abc1b', 'abc2a', 'abc2b']
    solutions = _by_name(report)
    # The model solution first, then the slow one, then the bad one.
    assert list(solutions) == ['abc.c', 'abcs1.c', 'abcb1.c']
    assert set(verdicts(solutions['abc.c']).values()) == {'OK'}
    assert solutions['abc.c']['points'] == solutions['abc.c']['max_points'] == 100
    assert verdicts(solutions['abcb1.c']) == {'abc0': 'OK', 'abc1a': 'OK', 'abc1b': 'WA',
                                             'abc2a': 'OK', 'abc2b': 'OK'}
    assert solutions['abcb1.c']['groups']['1'] == {'status': 'WA', 'points': 0,
                                                  'max_points': 40}
    assert solutions['abcb1.c']['points'] == 60
    slow = solutions['abcs1.c']
    assert verdicts(slow)['abc2a'] == 'TLE' and slow['points'] == 40
    # Group 2 has its own time limit in config.yml.
    assert slow['tests']['abc2a']['time_limit_ms'] == 500
    assert slow['tests']['abc1a']['time_limit_ms'] == 1000


def test_points_differing_from_the_expected_ones_are_exit_status_1(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcb1.c': WRONG},
                        config=CONFIG + EXPECTED)
    out = sio_judge(root)
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert any(line.split()[:3] == ['abc.c', '100', 'as'] for line in lines)
    wrong = [line for line in lines if line.startswith('  abcb1.c ')]
    assert wrong and 'NOT AS EXPECTED' in wrong[-1] and 'group 1: WA, expected OK' in wrong[-1]
    # Judging only the solutions that are as expected is status 0.
    assert sio_judge(root, 'abc.c').returncode == 0


def test_a_checker_gives_partial_points(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abc1.c': OFF_BY_ONE,
                                           'abcchk.c': CHECKER})
    status, report = judged(root, 'abc1.c')
    assert status == 0
    solution, = report['solutions']
    assert set(verdicts(solution).values()) == {'OK'}
    assert solution['tests']['abc1a']['percentage'] == 50
    assert solution['points'] == 50


def test_missing_inputs_are_generated_checked_and_answered(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcingen.c': INGEN,
                                           'abcinwer.c': INWER, 'abcb1.c': WRONG},
                        tests={})
    status, report = judged(root, 'abcb1.c')
    assert status == 0
    assert sorted(os.listdir(os.path.join(root, 'in'))) == [
        'abc0.in', 'abc1a.in', 'abc1b.in', 'abc2a.in', 'abc2b.in']
    with open(os.path.join(root, 'out', 'abc2a.out')) as f:
        assert f.read() == '5001\n'
    assert _by_name(report)['abcb1.c']['points'] == 60


def test_generated_inputs_go_through_the_verifier(tmp_path):
    bad_ingen = INGEN.replace('test("abc2b.in", 7, 9)', 'test("abc2b.in", -7, 9)')
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcingen.c': bad_ingen,
                                           'abcinwer.c': INWER}, tests={})
    out = sio_judge(root)
    assert out.returncode == 2
    assert out.stderr.startswith('sio-judge: error: the verifier rejects abc2b.in: WRONG')


def test_an_input_the_verifier_rejects_makes_the_package_unusable(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcinwer.c': INWER},
                        tests={'abc1a': (-1, 2)})
    out = sio_judge(root, '--verify')
    assert out.returncode == 2
    assert out.stderr.startswith('sio-judge: error: the verifier rejects abc1a.in')
    assert len(out.stderr.splitlines()) == 1
    assert sio_judge(root).returncode == 0


def test_tests_can_be_chosen_by_a_pattern(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcs1.c': SLOW})
    status, report = judged(root, '--tests', 'abc1*')
    assert status == 0
    assert [test['name'] for test in report['tests']] == ['abc1a', 'abc1b']
    assert _by_name(report)['abcs1.c']['groups'] == {
        '1': {'status': 'OK', 'points': 40, 'max_points': 40}}


def test_the_table_is_a_grid_of_tests_and_solutions_with_points_and_totals(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcb1.c': WRONG,
                                           'abcs1.c': SLOW})
    out = sio_judge(root, '--tests=abc[12]?')
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == 'A plus B (abc): 4 tests, 3 solutions'
    assert [cell.strip() for cell in lines[2].split('|')] == ['', 'abc.c', 'abcs1.c',
                                                              'abcb1.c']
    assert 'group 1: 40 points, time limit 1.00 s' in lines
    assert 'group 2: 60 points, time limit 0.50 s' in lines  # config.yml's own for group 2
    row = next(line for line in lines if line.startswith('  abc1b'))
    verdicts = [cell.split()[0] for cell in row.split('|')[1:]]
    assert verdicts == ['OK', 'OK', 'WA']
    assert lines[lines.index(row) + 1].count('MiB') == 3
    slow = next(line for line in lines if line.startswith('  abc2a')).split('|')[2]
    assert slow.split()[0] == 'TLE' and slow.strip().endswith(' s')
    total = next(line for line in lines if line.startswith('total'))
    assert [cell.strip() for cell in total.split('|')[1:]] == ['100/100', '40/100', '60/100']
    assert '  abcb1.c on abc1b (WA): line 1 differs' in lines
    assert max(len(line) for line in lines if '|' in line or line.startswith('-')) <= 80
    assert lines[-1].split()[:3] == ['abcb1.c', '60', 'no']


# Recursion about 30 MiB deep when a is 5000 (group 2), under the
# package's 64 MiB: within the limit, so OK, as deep recursion is.
DEEP = r'''
#include <stdio.h>
static long long down(long long n, long long a) {
    volatile char frame[1024];
    frame[0] = (char)n;
    return n == 0 ? a : down(n - 1, a) + frame[0] - (char)n;
}
int main(void) {
    long long a, b; scanf("%lld %lld", &a, &b);
    printf("%lld\n", down(a > 1000 ? 30 * 1024 : 10, a) + b); return 0;
}
'''
# Asks for 100 MiB at once when a is 5000, past the 64 MiB limit, and goes
# on with the failed allocation.
GREEDY = r'''
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
char *volatile kept;
int main(void) {
    long long a, b; scanf("%lld %lld", &a, &b);
    if (a > 1000) { kept = malloc(100 << 20); memset(kept, 1, 100 << 20); }
    printf("%lld\n", a + b); return 0;
}
'''


def test_deep_recursion_is_ok_and_asking_past_the_memory_limit_is_mle(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcs1.c': DEEP,
                                           'abcs2.c': GREEDY})
    status, report = judged(root, 'abcs1.c', 'abcs2.c')
    assert status == 0
    solutions = _by_name(report)
    assert set(verdicts(solutions['abcs1.c']).values()) == {'OK'}
    assert solutions['abcs1.c']['tests']['abc2a']['memory_kib'] >= 30 * 1024
    greedy = verdicts(solutions['abcs2.c'])
    assert greedy.pop('abc2a') == 'MLE'
    assert set(greedy.values()) == {'OK'}
