"""Points as ``sinol-make`` gives them.

* A test is worth the percentage its checker gave (100 without a
  checker) when the verdict is ``OK``, else 0.  In an ``oi`` contest
  (``sinol_contest_type: oi``) an ``OK`` that took more than half the
  time limit loses points linearly down to 1 at the limit, as OIOIOI
  scores it.
* A group is worth its score from ``scores`` (else 100 shared equally by
  the groups other than 0, the rest to the last one) times the smallest
  test percentage in it, rounded up; group 0, the examples, is worth 0.
* The total is the sum over the groups.
* A group's status is ``OK`` when every test is, else the verdict of its
  first test that is not.
"""

import math
from fractions import Fraction

from sio.sinol import PackageError

CONTEST_TYPES = ('default', 'oi')


def contest_type(config):
    kind = str(config.get('sinol_contest_type', 'default')).lower()
    if kind not in CONTEST_TYPES:
        raise PackageError('sinol_contest_type %r is not supported (only %s)'
                           % (kind, ', '.join(CONTEST_TYPES)))
    return kind


def group_scores(config, groups):
    """Group -> the points it is worth."""
    given = config.get('scores')
    if given:
        scores = {int(group): int(points) for group, points in given.items()}
        missing = [group for group in groups if group and group not in scores]
        if missing:
            raise PackageError('config.yml: scores gives no points for group %s'
                               % ', '.join(map(str, missing)))
        scores[0] = 0
        return scores
    scored = [group for group in groups if group != 0]
    scores = {0: 0}
    for group in scored:
        scores[group] = 100 // len(scored)
    if scored:
        scores[scored[-1]] += 100 - (100 // len(scored)) * len(scored)
    return scores


def test_percentage(result, time_limit, kind='default'):
    """The percentage (0-100) a test's result is worth."""
    if result.get('result_code') != 'OK':
        return 0
    numerator, denominator = result.get('result_percentage') or (100, 1)
    points = int(Fraction(numerator) / Fraction(denominator))
    time_used = result.get('time_used', 0)
    if kind == 'oi' and points and time_used > time_limit / 2.0:
        return 1 + int((points - 1) * ((time_limit - time_used) / (time_limit / 2.0)))
    return points


def score_groups(tests, results, limits, config):
    """Group -> ``{'status', 'points', 'max_points'}`` for one solution;
    ``results`` and ``limits`` (time limits) are keyed by test name."""
    kind = contest_type(config)
    scores = group_scores(config, sorted({test.group for test in tests}))
    summary = {}
    for group in sorted({test.group for test in tests}):
        members = [test for test in tests if test.group == group]
        statuses = [results[test.name].get('result_code') for test in members]
        lowest = min(test_percentage(results[test.name], limits[test.name], kind)
                     for test in members)
        summary[group] = {
            'status': next((s for s in statuses if s != 'OK'), 'OK'),
            'points': int(math.ceil(scores[group] * lowest / 100.0)),
            'max_points': scores[group],
        }
    return summary


def expected_for(config, solution):
    """``sinol_expected_scores`` of ``solution``: (group -> status or
    ``{'status', 'points'}``, total points), or ``None``."""
    entry = (config.get('sinol_expected_scores') or {}).get(solution)
    if not isinstance(entry, dict):
        return None
    expected = {int(group): value
                for group, value in (entry.get('expected') or {}).items()}
    return expected, entry.get('points')


def differences(config, solution, groups, all_groups_judged):
    """How ``solution``'s group results differ from the expected ones: a
    list of sentences, empty when as expected; ``None`` with no
    expectation."""
    found = expected_for(config, solution)
    if found is None:
        return None
    expected, points = found
    wrong = []
    for group, got in groups.items():
        want = expected.get(group)
        if want is None:
            continue
        want_status = want.get('status') if isinstance(want, dict) else want
        if want_status is not None and want_status != got['status']:
            wrong.append('group %d: %s, expected %s' % (group, got['status'], want_status))
        if isinstance(want, dict) and want.get('points') is not None \
                and int(want['points']) != got['points']:
            wrong.append('group %d: %d points, expected %s'
                         % (group, got['points'], want['points']))
    total = sum(group['points'] for group in groups.values())
    if all_groups_judged and points is not None and int(points) != total:
        wrong.append('%d points, expected %s' % (total, points))
    return wrong
