"""The report of ``sio-judge`` as a grid for people, in the shape
``sinol-make run`` prints.

A row for every test, the tests grouped by their group under a line with
the group's points and time limit; a column for every solution, each cell
the verdict and the CPU time, with the peak memory on a second line.
Below the tests, a row for every group with each solution's status and
points in it, and a row with the total.  Solutions that do not fit in the
width are shown in further tables of the same shape.  After the tables,
notes: why each test that is not ``OK`` is not, and the ``OK`` tests
worth part of their points; then each solution's points against
``sinol_expected_scores``.

The functions here read the report :func:`sio.sinol.judging.judge` makes
(the document ``--json`` prints) and return lines of text.
"""

#: The narrowest a solution's column gets: ``TLE  12.34 s``.
CELL_WIDTH = 12
#: A table is at least this wide, however narrow the terminal.
MIN_WIDTH = 40
_SEPARATOR = ' | '


def _seconds(ms):
    return '%.2f s' % (ms / 1000.0)


def _mebibytes(kib):
    return '%.1f MiB' % (kib / 1024.0)


def groups_of(report):
    """``[(group, [test, ...]), ...]`` in the order of the report's tests."""
    grouped = {}
    for test in report['tests']:
        grouped.setdefault(test['group'], []).append(test)
    return list(grouped.items())


def _limits(tests, solutions):
    """The time limits (ms) the ``solutions`` had on ``tests``, low to high."""
    return sorted({solution['tests'][test['name']]['time_limit_ms']
                   for solution in solutions for test in tests})


def _group_heading(report, group, tests):
    solutions = report['solutions']
    worth = solutions[0]['groups'][str(group)]['max_points'] if solutions else 0
    limits = _limits(tests, solutions)
    if not limits:
        limit = ''
    elif len(limits) == 1:
        limit = ', time limit %s' % _seconds(limits[0])
    else:
        limit = ', time limits %s to %s' % (_seconds(limits[0]), _seconds(limits[-1]))
    return 'group %s: %d point%s%s' % (group, worth, '' if worth == 1 else 's', limit)


def _test_cells(row, width):
    """The two lines of a test's cell: verdict and time, then memory."""
    verdict = row['verdict'][:width]
    time = _seconds(row['time_ms']) if row['time_ms'] is not None else ''
    memory = _mebibytes(row['memory_kib']) if row['memory_kib'] is not None else ''
    return (verdict + time.rjust(width - len(verdict)), memory.rjust(width))


def _group_cell(solution, group, width):
    value = solution['groups'][str(group)]
    points = '%d/%d' % (value['points'], value['max_points'])
    return value['status'][:width - len(points) - 1].ljust(width - len(points)) + points


class _Grid:
    """Lines of one table: a label column, then a column per solution."""

    def __init__(self, label_width, solutions):
        self.label_width = label_width
        self.widths = [column_width(solution) for solution in solutions]
        self.lines = []

    def row(self, label, cells):
        self.lines.append((label.ljust(self.label_width) + ''.join(
            _SEPARATOR + cell.rjust(width)
            for cell, width in zip(cells, self.widths))).rstrip())

    def rule(self, char='-'):
        self.lines.append(char * self.label_width + ''.join(
            char + '+' + char * (width + 1) for width in self.widths))

    def text(self, line):
        self.lines.append(line)


def column_width(solution):
    return max(CELL_WIDTH, len(solution['name']))


def label_width(report):
    labels = ['total'] + ['group %s' % group for group, _ in groups_of(report)]
    labels += ['  ' + test['name'] for test in report['tests']]
    return max(len(label) for label in labels)


def chunks(report, width):
    """The solutions split into runs that fit ``width`` columns beside the labels."""
    room = max(width, MIN_WIDTH) - label_width(report)
    result, current, used = [], [], 0
    for solution in report['solutions']:
        needed = len(_SEPARATOR) + column_width(solution)
        if current and used + needed > room:
            result.append(current)
            current, used = [], 0
        current.append(solution)
        used += needed
    return result + ([current] if current else [])


def table(report, solutions):
    """The lines of the table of ``solutions`` (some of the report's)."""
    grid = _Grid(label_width(report), solutions)
    grid.row('', [solution['name'].ljust(width)
                  for solution, width in zip(solutions, grid.widths)])
    groups = groups_of(report)
    for group, tests in groups:
        grid.rule()
        grid.text(_group_heading(report, group, tests))
        for test in tests:
            cells = [_test_cells(solution['tests'][test['name']], width)
                     for solution, width in zip(solutions, grid.widths)]
            grid.row('  ' + test['name'], [first for first, _ in cells])
            if any(second.strip() for _, second in cells):
                grid.row('', [second for _, second in cells])
    grid.rule('=')
    for group, _ in groups:
        grid.row('group %s' % group, [_group_cell(solution, group, width)
                                      for solution, width in zip(solutions, grid.widths)])
    grid.row('total', ['%d/%d' % (solution['points'], solution['max_points'])
                       for solution in solutions])
    return grid.lines


def notes(report):
    """A line for each test that is not ``OK`` (why), each ``OK`` worth part
    of its points, and each compilation error."""
    lines = []
    for solution in report['solutions']:
        if not solution['compiled']:
            lines.append('%s: compilation error: %s' % (
                solution['name'], ' '.join(solution['compiler_output'].split())[:200]))
            continue
        for test in report['tests']:
            row = solution['tests'][test['name']]
            where = '%s on %s (%s)' % (solution['name'], test['name'], row['verdict'])
            if row['message']:
                lines.append('%s: %s' % (where, row['message']))
            elif row['verdict'] == 'OK' and row['percentage'] < 100:
                lines.append('%s: %d%% of the points' % (where, row['percentage']))
    return lines


def expectations(report):
    """Each solution's points, and how they compare with the expected ones."""
    names = [solution['name'] for solution in report['solutions']]
    width = max([len(name) for name in names] + [CELL_WIDTH])
    lines = []
    for solution in report['solutions']:
        wrong = solution['differences']
        if wrong is None:
            verdict = 'no expected scores'
        elif wrong:
            verdict = 'NOT AS EXPECTED: ' + '; '.join(wrong)
        else:
            verdict = 'as expected'
        lines.append('%s %3d  %s' % (solution['name'].ljust(width), solution['points'],
                                     verdict))
    return lines


def render(report, width=80):
    """The whole report for people, as lines: a title, the tables (as many
    as ``width`` columns need), the notes and the expectations."""
    solutions = report['solutions']
    lines = ['%s (%s): %d test%s, %d solution%s' % (
        report['title'], report['task_id'], len(report['tests']),
        '' if len(report['tests']) == 1 else 's', len(solutions),
        '' if len(solutions) == 1 else 's')]
    for part in chunks(report, width):
        lines += [''] + table(report, part)
    found = notes(report)
    if found:
        lines += ['', 'Notes:'] + ['  ' + line for line in found]
    lines += ['', 'Points against sinol_expected_scores:']
    lines += ['  ' + line for line in expectations(report)]
    return lines
