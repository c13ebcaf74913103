"""The original's ``sio.executors.checker``: judging an output for
:func:`sio.executors.common.run`, and :func:`output_to_fraction`.

A thin layer over :mod:`sio.executors.checkers` (the project's checking):
a ``chk_file`` runs there, isolated, whatever ``use_sandboxes`` says (the
original ran it unprotected unless ``untrusted_checker``); without one the
output is compared there (the original used ``diff -b`` or oicompare).
``result_percentage`` is written as the original wrote it, a pair
``(numerator, denominator)``.
"""

import os
from fractions import Fraction

from sio.executors import checkers, defaults
from sio.workers import ft
from sio.workers.exceptions import Failure

#: The original's limits of a checker (ms, KiB); the project's own apply.
DEFAULT_CHECKER_TIME_LIMIT = defaults.CHECKER_TIME_LIMIT
DEFAULT_CHECKER_MEM_LIMIT = 256 * 2**10
#: ``result_string`` is cut to this many characters.
RESULT_STRING_LENGTH_LIMIT = 1024
_CUT = '[...]'


class CheckerError(Failure):
    """A checker's output that is no verdict."""


def output_to_fraction(output_str):
    """The checker's percentage line as ``(numerator, denominator)`` in
    lowest terms: ``'42'``, ``'42.5'``, ``'1e5'``, ``'84/2'``; empty is
    ``(100, 1)``.  Anything else is a :class:`CheckerError`."""
    if not output_str:
        return 100, 1
    if isinstance(output_str, (bytes, bytearray)):
        output_str = bytes(output_str).decode('utf-8', 'replace')
    try:
        value = Fraction(output_str)
    except ZeroDivisionError:
        raise CheckerError('checker printed %r as its percentage: a division by zero'
                           % output_str) from None
    except (ValueError, TypeError):
        raise CheckerError('checker printed %r as its percentage; expected a number, '
                           'a decimal or a fraction' % output_str) from None
    return value.numerator, value.denominator


def percentage_pair(percentage):
    """A percentage as :mod:`sio.executors.checkers` gives it (a number or
    already a pair) as ``(numerator, denominator)``."""
    if isinstance(percentage, (tuple, list)):
        value = Fraction(*percentage)
    else:
        value = Fraction(str(percentage))
    return value.numerator, value.denominator


def _limit_length(text):
    if len(text) > RESULT_STRING_LENGTH_LIMIT:
        return text[:RESULT_STRING_LENGTH_LIMIT - len(_CUT)] + _CUT
    return text


def run(environ, use_sandboxes=True):
    """Judges ``out`` (or ``out_file``) against ``hint_file``; writes
    ``result_code`` (``OK``/``WA``), ``result_string`` and
    ``result_percentage``."""
    if not os.path.exists('out'):
        ft.download(environ, 'out_file', 'out')
    ft.download(environ, 'hint_file', 'hint', add_to_cache=True)
    if environ.get('chk_file'):
        ft.download(environ, 'in_file', 'in', skip_if_exists=True, add_to_cache=True)
        ft.download(environ, 'chk_file', 'chk', add_to_cache=True)
        verdict = checkers.run_checker('chk', 'in', 'out', 'hint')
    else:
        verdict = checkers.compare('out', 'hint')
    if verdict.ok:
        environ['result_code'] = defaults.OK
        if verdict.comment:
            environ['result_string'] = _limit_length(verdict.comment)
        environ['result_percentage'] = percentage_pair(verdict.percentage)
    else:
        environ['result_code'] = defaults.WRONG_ANSWER
        environ['result_string'] = _limit_length(verdict.comment or '')
        environ['result_percentage'] = (0, 1)
    return environ


__all__ = ['CheckerError', 'DEFAULT_CHECKER_MEM_LIMIT', 'DEFAULT_CHECKER_TIME_LIMIT',
           'RESULT_STRING_LENGTH_LIMIT', 'output_to_fraction', 'percentage_pair', 'run']
