"""Judging a program's output: the default comparison and custom checkers.

The default comparison accepts the output when, line by line, it holds the
same white-space separated words as the hint; the amount of white space,
white space at the ends of lines and empty lines at the end do not matter.
It reads both files as streams, so a large output costs time in proportion
to its size, and little memory.

A custom checker is run, isolated, as ``chk IN OUT HINT`` and prints up to
three lines, as for the original sioworkers: ``OK`` (anything else, or
nothing at all, is a wrong answer), an optional comment, and for ``OK`` an
optional percentage (default 100): an integer, a decimal (``50.5``,
``1e2``) or a fraction (``84/2``, ``1/3``).  It exits with status 0 or 1;
a checker that exits with 2 or more, crashes or runs out of its limits is
a problem of the system (the job fails), not a verdict.

The percentage is kept exact: ``result_percentage`` is a pair
``(numerator, denominator)``, as OIOIOI reads it
(``Fraction(*result_percentage)``).
"""

import os
from fractions import Fraction

from sio.executors import defaults, programs
from sio.workers.exceptions import Failure
from sio.workers.keys import limit
from sio.workers.process import Limits, run_program
from sio.workers.process.limits import EXIT_CODE

_CHUNK = 1 << 16
#: ``result_percentage`` of an accepted and of a rejected output.
FULL = (100, 1)
NONE = (0, 1)
#: A checker's comment is cut to this many bytes (``[...]`` marks the cut).
COMMENT_LIMIT = 1024
_CUT_MARK = '[...]'


class Verdict:
    """What a checker said: accepted or not, its comment, its percentage
    (a :class:`~fractions.Fraction`; 0 for a rejected output)."""

    def __init__(self, ok, comment='', percentage=Fraction(100)):
        self.ok = ok
        self.comment = comment
        self.percentage = Fraction(percentage) if ok else Fraction(0)

    @property
    def result_percentage(self):
        """The percentage as the pair ``(numerator, denominator)``."""
        return self.percentage.numerator, self.percentage.denominator


def _same_bytes(out_path, hint_path):
    if os.path.getsize(out_path) != os.path.getsize(hint_path):
        return False
    with open(out_path, 'rb') as out, open(hint_path, 'rb') as hint:
        while True:
            a = out.read(_CHUNK)
            if a != hint.read(_CHUNK):
                return False
            if not a:
                return True


def _content_lines(stream):
    """Word lists of the lines; runs of empty lines are held back until a
    non-empty line follows, so that trailing ones never show up."""
    pending_empty = 0
    for line in stream:
        words = line.split()
        if not words:
            pending_empty += 1
            continue
        for _ in range(pending_empty):
            yield []
        pending_empty = 0
        yield words


def compare(out_path, hint_path):
    """The default comparison; a :class:`Verdict`."""
    if _same_bytes(out_path, hint_path):
        return Verdict(True)
    with open(out_path, 'rb') as out, open(hint_path, 'rb') as hint:
        out_lines = _content_lines(out)
        hint_lines = _content_lines(hint)
        number = 0
        while True:
            number += 1
            a = next(out_lines, None)
            b = next(hint_lines, None)
            if a is None and b is None:
                return Verdict(True)
            if a != b:
                return Verdict(False, _difference(number, a, b))


def _difference(number, got, expected):
    if got is None:
        return 'line %d: output ended too early' % number
    if expected is None:
        return 'line %d: output continues past the expected end' % number
    return 'line %d differs' % number


def run_checker(chk_path, in_path, out_path, hint_path, environ=None):
    """Runs a custom checker; a :class:`Verdict`, or :class:`Failure` when
    the checker itself failed.  ``checker_time_limit`` and
    ``checker_mem_limit`` of ``environ`` override its default limits."""
    os.chmod(chk_path, 0o755)
    report = 'checker.out'  # written through a descriptor: out of its reach
    files = [chk_path, in_path, out_path, hint_path]
    result = run_program(
        [os.path.abspath(f) for f in files],
        limits=_checker_limits(environ or {}), stdout=report, stderr=None,
        isolation=programs.isolation(files, defaults.SCRATCH_DIR_LIMIT))
    if result.output_limit_exceeded:
        raise Failure('checker chk_file printed more than %d bytes: it is broken'
                      % defaults.CHECKER_OUT_LIMIT)
    # Exit status 0 or 1 is a verdict; 2 or more says the checker failed.
    if result.failure not in (None, EXIT_CODE) or result.exit_code >= 2:
        raise Failure('checker chk_file failed (%s): it is broken'
                      % result.describe_failure())
    with open(report, 'rb') as f:
        lines = f.read(defaults.CHECKER_OUT_LIMIT).decode('utf-8', 'replace').splitlines()
    return parse_output(lines)


def _checker_limits(environ):
    cpu = limit(environ, 'checker_time_limit', defaults.CHECKER_TIME_LIMIT)
    return Limits(cpu_ms=cpu, wall_ms=defaults.real_time_limit(cpu),
                  memory_kib=limit(environ, 'checker_mem_limit',
                                   defaults.CHECKER_MEM_LIMIT),
                  output_bytes=defaults.CHECKER_OUT_LIMIT)


def parse_output(lines):
    """The :class:`Verdict` of a checker's (or interactor's) output lines."""
    lines = list(lines[:3]) + [''] * (3 - len(lines[:3]))
    ok = lines[0].strip() == 'OK'
    comment = cut_comment(lines[1].strip())
    if not ok:
        return Verdict(False, comment)
    return Verdict(True, comment, output_to_fraction(lines[2]))


def output_to_fraction(text):
    """A checker's percentage line as a :class:`~fractions.Fraction`: empty
    is 100; an integer, a decimal or ``a/b`` is taken exactly."""
    text = text.strip()
    if not text:
        return Fraction(100)
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise Failure('checker chk_file printed %r as its percentage: a fraction '
                      'with denominator 0' % text)
    except ValueError:
        raise Failure('checker chk_file printed %r as its percentage; expected an '
                      'integer, a decimal or a fraction a/b' % text)


def cut_comment(comment):
    """``comment`` cut to :data:`COMMENT_LIMIT` bytes of UTF-8."""
    data = comment.encode('utf-8')
    if len(data) <= COMMENT_LIMIT:
        return comment
    keep = data[:COMMENT_LIMIT - len(_CUT_MARK)]
    return keep.decode('utf-8', 'ignore') + _CUT_MARK
