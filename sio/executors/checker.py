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

from sio.executors import checkers, defaults
from sio.workers import ft
from sio.workers.exceptions import Failure

#: A checker's default limits (ms, KiB), the original's names.
DEFAULT_CHECKER_TIME_LIMIT = defaults.CHECKER_TIME_LIMIT
DEFAULT_CHECKER_MEM_LIMIT = defaults.CHECKER_MEM_LIMIT
#: ``result_string`` is cut to this many bytes.
RESULT_STRING_LENGTH_LIMIT = checkers.COMMENT_LIMIT


class CheckerError(Failure):
    """A checker's output that is no verdict."""


def output_to_fraction(output_str):
    """The checker's percentage line as ``(numerator, denominator)`` in
    lowest terms: ``'42'``, ``'42.5'``, ``'1e5'``, ``'84/2'``; empty is
    ``(100, 1)``.  Anything else is a :class:`CheckerError`."""
    if isinstance(output_str, (bytes, bytearray)):
        output_str = bytes(output_str).decode('utf-8', 'replace')
    try:
        value = checkers.output_to_fraction(output_str or '')
    except Failure as e:
        raise CheckerError(str(e)) from None
    return value.numerator, value.denominator


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
        verdict = checkers.run_checker('chk', 'in', 'out', 'hint', environ)
    else:
        verdict = checkers.compare('out', 'hint')
    if verdict.ok:
        environ['result_code'] = defaults.OK
        if verdict.comment:
            environ['result_string'] = verdict.comment
        environ['result_percentage'] = verdict.result_percentage
    else:
        environ['result_code'] = defaults.WRONG_ANSWER
        environ['result_string'] = verdict.comment or ''
        environ['result_percentage'] = verdict.result_percentage
    return environ


__all__ = ['CheckerError', 'DEFAULT_CHECKER_MEM_LIMIT', 'DEFAULT_CHECKER_TIME_LIMIT',
           'RESULT_STRING_LENGTH_LIMIT', 'output_to_fraction', 'run']
