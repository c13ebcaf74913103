"""The grid sio-judge prints for people (sio.sinol.table), on reports of
the shape sio.sinol.judging.judge makes."""

from sio.sinol.table import render

TESTS = [('abc0', 0), ('abc1a', 1), ('abc1b', 1), ('abc2a', 2)]
WORTH = {0: 0, 1: 40, 2: 60}


def _row(verdict, time_ms=12, memory_kib=2048, limit=1000, percentage=None, message=''):
    if percentage is None:
        percentage = 100 if verdict == 'OK' else 0
    return {'verdict': verdict, 'time_ms': time_ms, 'memory_kib': memory_kib,
            'time_limit_ms': limit, 'memory_limit_kib': 65536,
            'percentage': percentage, 'message': message}


def _solution(name, rows, differences=None, compiled=True, compiler_output=''):
    """A solution of the report; ``rows`` maps test name -> its row (OK when absent)."""
    rows = {test: rows.get(test) or _row('OK') for test, _ in TESTS}
    groups = {}
    for test, group in TESTS:
        value = groups.setdefault(str(group), {'status': 'OK', 'points': WORTH[group],
                                               'max_points': WORTH[group]})
        if rows[test]['verdict'] != 'OK' and value['status'] == 'OK':
            value.update(status=rows[test]['verdict'], points=0)
    return {'name': name, 'compiled': compiled, 'compiler_output': compiler_output,
            'tests': rows, 'groups': groups,
            'points': sum(g['points'] for g in groups.values()), 'max_points': 100,
            'differences': differences}


def _report(*solutions):
    return {'task_id': 'abc', 'title': 'A plus B',
            'tests': [{'name': test, 'group': group} for test, group in TESTS],
            'solutions': list(solutions)}


def _cells(line):
    return [cell.strip() for cell in line.split('|')]


def test_tests_are_rows_grouped_by_group_and_solutions_are_columns():
    report = _report(_solution('abc.c', {}, differences=[]),
                     _solution('abcb1.c', {'abc1b': _row('WA', 3, 1024, message='line 1 differs')},
                               differences=['group 1: WA, expected OK']))
    lines = render(report, 80)
    assert lines[0] == 'A plus B (abc): 4 tests, 2 solutions'
    assert _cells(lines[2]) == ['', 'abc.c', 'abcb1.c']
    headings = [line for line in lines if line.startswith('group ') and ':' in line]
    assert headings == ['group 0: 0 points, time limit 1.00 s',
                        'group 1: 40 points, time limit 1.00 s',
                        'group 2: 60 points, time limit 1.00 s']
    # Each test under its group's heading: verdict and time, then memory.
    at = lines.index('group 1: 40 points, time limit 1.00 s')
    assert _cells(lines[at + 1]) == ['abc1a', 'OK    0.01 s', 'OK    0.01 s']
    assert _cells(lines[at + 2]) == ['', '2.0 MiB', '2.0 MiB']
    assert _cells(lines[at + 3]) == ['abc1b', 'OK    0.01 s', 'WA    0.00 s']
    assert _cells(lines[at + 4]) == ['', '2.0 MiB', '1.0 MiB']
    # Then each group's status and points, and the total.
    summary = lines[[i for i, line in enumerate(lines) if line.startswith('=')][0] + 1:]
    assert [_cells(line) for line in summary[:4]] == [
        ['group 0', 'OK       0/0', 'OK       0/0'],
        ['group 1', 'OK     40/40', 'WA      0/40'],
        ['group 2', 'OK     60/60', 'OK     60/60'],
        ['total', '100/100', '60/100']]
    # Then why a test is not OK, and the points against the expected ones.
    assert '  abcb1.c on abc1b (WA): line 1 differs' in lines
    assert lines[-3:] == ['Points against sinol_expected_scores:',
                          '  abc.c        100  as expected',
                          '  abcb1.c       60  NOT AS EXPECTED: group 1: WA, expected OK']


def test_the_columns_line_up():
    report = _report(_solution('abc.c', {}), _solution('abcs1.c', {
        'abc2a': _row('TLE', 1500, 70000)}))
    table = render(report, 80)[2:]
    table = table[:next(i for i, line in enumerate(table) if not line)]
    # Every row of cells and every rule has its separators at the same places.
    places = {tuple(i for i, char in enumerate(line) if char in '|+')
              for line in table if not line.startswith('group ') or '|' in line}
    assert len(places) == 1


def test_four_solutions_fit_80_columns_and_more_make_further_tables():
    names = ['abc.cpp', 'abcs1.cpp', 'abcs2_long.py', 'abcb1.java', 'abcb2.pas', 'abcb3.c']
    four = render(_report(*[_solution(name, {}) for name in names[:4]]), 80)
    assert max(len(line) for line in four) <= 80
    assert sum(1 for line in four if line.startswith('total')) == 1
    six = render(_report(*[_solution(name, {}) for name in names]), 80)
    assert max(len(line) for line in six) <= 80
    totals = [line for line in six if line.startswith('total')]
    assert len(totals) == 2
    headers = [_cells(line)[1:] for before, line in zip(six, six[1:])
               if before == '' and '|' in line]
    assert headers == [names[:4], names[4:]]
    # A wide terminal takes them all in one table.
    assert sum(1 for line in render(_report(*[_solution(name, {}) for name in names]), 200)
               if line.startswith('total')) == 1


def test_a_solution_that_does_not_compile_is_ce_everywhere_and_its_error_is_noted():
    ce = _row('CE', None, None, message='compilation error')
    report = _report(_solution('abc.c', {}),
                     _solution('abc2.c', {test: ce for test, _ in TESTS}, compiled=False,
                               compiler_output='abc2.c:1: error:\n  expected ;'))
    lines = render(report, 80)
    row = next(line for line in lines if line.startswith('  abc1a'))
    assert _cells(row) == ['abc1a', 'OK    0.01 s', 'CE']
    assert '  abc2.c: compilation error: abc2.c:1: error: expected ;' in lines
    assert next(line for line in lines if line.startswith('total')).split()[-1] == '0/100'


def test_partial_points_and_differing_time_limits_are_said():
    rows = {'abc1a': _row('OK', percentage=50), 'abc2a': _row('OK', limit=500)}
    report = _report(_solution('abc.c', rows))
    lines = render(report, 80)
    assert '  abc.c on abc1a (OK): 50% of the points' in lines
    assert 'group 2: 60 points, time limit 0.50 s' in lines
    rows = {'abc1a': _row('OK', limit=2000)}
    lines = render(_report(_solution('abc.c', rows)), 80)
    assert 'group 1: 40 points, time limits 1.00 s to 2.00 s' in lines
    assert lines[-1] == '  abc.c        100  no expected scores'
