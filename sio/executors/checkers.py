"""Judging a program's output: the default comparison and custom checkers.

The default comparison accepts the output when, line by line, it holds the
same white-space separated words as the hint; the amount of white space,
white space at the ends of lines and empty lines at the end do not matter.
It reads both files as streams, so a large output costs time in proportion
to its size, and little memory.

A custom checker is run, isolated, as ``chk IN OUT HINT`` and prints up to
three lines: ``OK`` (anything else means a wrong answer), an optional
comment, and for ``OK`` an optional percentage (default 100).  Its exit
status is ignored.  A checker that crashes, runs out of its limits or
prints nothing is a problem of the system, not a verdict.
"""

import os

from sio.executors import defaults
from sio.workers.exceptions import Failure
from sio.workers.process import Isolation, Limits, run_program

_CHUNK = 1 << 16


class Verdict:
    def __init__(self, ok, comment='', percentage=100.0):
        self.ok = ok
        self.comment = comment
        self.percentage = percentage if ok else 0.0


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


def run_checker(chk_path, in_path, out_path, hint_path):
    """Runs a custom checker; a :class:`Verdict`, or :class:`Failure` when
    the checker itself failed."""
    os.chmod(chk_path, 0o755)
    report = 'checker.out'
    result = run_program(
        [os.path.abspath(chk_path), in_path, out_path, hint_path],
        limits=Limits(cpu_ms=defaults.CHECKER_TIME_LIMIT,
                      wall_ms=defaults.real_time_limit(defaults.CHECKER_TIME_LIMIT),
                      memory_kib=defaults.CHECKER_MEM_LIMIT,
                      output_bytes=defaults.CHECKER_OUT_LIMIT),
        stdout=report, stderr=None, isolation=Isolation())
    if result.output_limit_exceeded:
        raise Failure('checker chk_file printed more than %d bytes: it is broken'
                      % defaults.CHECKER_OUT_LIMIT)
    if result.limit_exceeded or result.signal is not None:
        raise Failure('checker chk_file failed (%s): it is broken'
                      % result.describe_failure())
    with open(report, 'rb') as f:
        lines = f.read().decode('utf-8', 'replace').splitlines()
    if not lines or not lines[0].strip():
        raise Failure('checker chk_file printed no verdict (%s)' % result.describe_exit())
    return parse_output(lines)


def parse_output(lines):
    ok = lines[0].strip() == 'OK'
    comment = lines[1].strip() if len(lines) > 1 else ''
    percentage = 100.0
    if ok and len(lines) > 2 and lines[2].strip():
        text = lines[2].strip()
        try:
            percentage = float(text)
        except ValueError:
            raise Failure('checker chk_file printed %r as its percentage; expected a '
                          'number from 0 to 100' % text)
        if not 0 <= percentage <= 100:
            raise Failure('checker chk_file printed percentage %s; expected 0 to 100'
                          % text)
    return Verdict(ok, comment, percentage)
