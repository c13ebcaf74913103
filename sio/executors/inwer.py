"""The ``inwer`` job: run an input verifier on a test input.

``inwer``: runs an input verifier on ``in_file`` and reports how it ran.

The verifier runs isolated (as ``exec`` runs programs) with the test
input on its standard input, as in the original sioworkers: the input is
accepted when the verifier exits with status 0 within its limits
(``result_code`` ``OK``); its output (by convention a first line
beginning with ``OK``) is returned for the caller to show.

Keys read:

``exe_file`` (required), ``exec_info``
    the verifier as stored by ``compile``, and how to run it as
    ``compile`` returned it (see :mod:`sio.executors.modes`).
``in_file`` (required)
    the test input to verify.
``in_file_name``
    if given, passed to the verifier as its first argument (OIOIOI sends
    the test's file name, for verifiers that check per-test constraints).
``inwer_argument``
    passed as the argument instead when ``in_file_name`` is not given.
``inwer_time_limit``, ``inwer_mem_limit``
    its CPU time limit in ms (default 300000; the wall-clock limit is
    three times that and one second more) and its memory limit in KiB
    (default 262144).
``inwer_output_limit``
    ``stdout`` keeps this many bytes of the verifier's standard output
    (default 10240); the rest is cut off.  A verifier that prints more
    than a MiB is stopped (``RE``).

Keys written:

``result_code``
    how the verifier ran: ``OK`` (exit status 0 within its limits),
    ``RE``, ``TLE``, ``MLE`` or ``RV``.
``result_string``
    in the original's words (``ok``, ``runtime error 1``, ...).
``stdout``
    the lines of the verifier's standard output.
``time_used``, ``mem_used``
    CPU time (ms) and peak memory (KiB) of the verifier.
"""

from sio.executors import defaults, programs
from sio.executors.defaults import (INWER_MEM_LIMIT, INWER_OUTPUT_LIMIT,
                                    INWER_STORED_OUTPUT_LIMIT, INWER_TIME_LIMIT)
from sio.executors.modes import exec_mode
from sio.executors.programs import verdict
from sio.workers import ft
from sio.workers.keys import limit, optional
from sio.workers.process import Limits, run_program

_STDOUT_FILE = 'inwer.stdout'


def run(environ):
    """``inwer``: runs an input verifier on ``in_file`` and reports how it ran.

    Its keys: see the module.
    """
    cpu = limit(environ, 'inwer_time_limit', INWER_TIME_LIMIT)
    limits = Limits(cpu_ms=cpu, wall_ms=defaults.real_time_limit(cpu),
                    memory_kib=limit(environ, 'inwer_mem_limit', INWER_MEM_LIMIT),
                    file_size_bytes=INWER_STORED_OUTPUT_LIMIT)
    output_limit = limit(environ, 'inwer_output_limit', INWER_OUTPUT_LIMIT,
                         allow_zero=True)
    argument = optional(environ, 'in_file_name', None, str)
    if argument is None:
        argument = optional(environ, 'inwer_argument', None, (str, int))
    exe = ft.download(environ, 'exe_file', 'inwer')
    stdin = ft.download(environ, 'in_file', 'in')
    mode, exec_info = exec_mode(environ)
    argv, limits = mode.command(environ, exe, exec_info, limits)
    if argument is not None:
        argv.append(str(argument))
    result = run_program(argv, limits=limits, stdin=stdin, stdout=_STDOUT_FILE,
                         isolation=programs.isolation([exe], defaults.SCRATCH_DIR_LIMIT))
    environ['result_code'], environ['result_string'] = verdict(result, mode)
    environ['stdout'] = _output_lines(output_limit)
    environ['time_used'] = result.cpu_ms
    environ['mem_used'] = result.mem_kib
    return environ


def _output_lines(size):
    with open(_STDOUT_FILE, 'rb') as f:
        return f.read(size).decode('utf-8', 'replace').splitlines()
