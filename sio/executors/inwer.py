"""The ``inwer`` job: run an input verifier on a test input.

``inwer``: runs an input verifier on ``in_file`` and reports its word.

The verifier runs isolated (as ``exec`` runs programs) with the test
input on its standard input.  The input is accepted when the verifier
exits with status 0 within its limits and its first output line begins
with ``OK``.

Keys read:

``exe_file`` (required), ``exec_info``
    the verifier as stored by ``compile``, and how to run it as
    ``compile`` returned it (see :mod:`sio.executors.modes`).
``in_file`` (required)
    the test input to verify.
``inwer_argument``
    if given, passed to the verifier as its only argument (for example
    the test's name, when the verifier checks per-test constraints).
``inwer_time_limit``, ``inwer_mem_limit``
    its CPU time limit in ms (default 300000; the wall-clock limit is
    three times that and one second more) and its memory limit in KiB
    (default 262144).
``inwer_output_limit``
    limit in bytes of the verifier's standard output (default 10240);
    past it the input counts as rejected.

Keys written:

``result_code``
    ``OK`` or ``WRONG``.
``result_string``
    the verifier's first output line; when it failed or exceeded a
    limit, what happened.
``stdout``
    the lines of the verifier's standard output.
``time_used``, ``mem_used``
    CPU time (ms) and peak memory (KiB) of the verifier.
"""


from sio.executors import defaults
from sio.executors.defaults import (INWER_MEM_LIMIT, INWER_OUTPUT_LIMIT, INWER_TIME_LIMIT,
                                    INWER_WRONG as WRONG)
from sio.executors.modes import exec_mode
from sio.workers import ft
from sio.workers.keys import limit, optional
from sio.workers.process import Isolation, Limits, run_program
from sio.workers.process.limits import MEMORY_LIMIT, OUTPUT_LIMIT, TIME_LIMIT

_STDOUT_FILE = 'inwer.stdout'


def run(environ):
    """``inwer``: runs an input verifier on ``in_file`` and reports its word.

    Its keys: see the module.
    """
    limits = _limits(environ)
    argument = optional(environ, 'inwer_argument', None, (str, int))
    exe = ft.download(environ, 'exe_file', 'inwer')
    stdin = ft.download(environ, 'in_file', 'in')
    mode, exec_info = exec_mode(environ)
    argv, limits = mode.command(environ, exe, exec_info, limits)
    if argument is not None:
        argv.append(str(argument))
    result = run_program(argv, limits=limits, stdin=stdin, stdout=_STDOUT_FILE,
                         isolation=Isolation())
    lines = _output_lines()
    first = lines[0].strip() if lines else ''
    problem = _problem(result)
    accepted = problem is None and result.exit_code == 0 and first.startswith('OK')
    environ['result_code'] = defaults.OK if accepted else WRONG
    if problem is not None:
        environ['result_string'] = 'the verifier %s' % problem
    else:
        environ['result_string'] = first or 'the verifier %s and printed nothing' \
            % result.describe_exit()
    environ['stdout'] = lines
    environ['time_used'] = result.cpu_ms
    environ['mem_used'] = result.mem_kib
    return environ


def _limits(environ):
    cpu = limit(environ, 'inwer_time_limit', INWER_TIME_LIMIT)
    return Limits(cpu_ms=cpu, wall_ms=defaults.real_time_limit(cpu),
                  memory_kib=limit(environ, 'inwer_mem_limit', INWER_MEM_LIMIT),
                  output_bytes=limit(environ, 'inwer_output_limit', INWER_OUTPUT_LIMIT,
                                     allow_zero=True))


def _problem(result):
    """What went wrong with the verifier's run, or ``None``."""
    failure = result.failure
    if failure == OUTPUT_LIMIT:
        return 'printed more than inwer_output_limit allows'
    if failure in (TIME_LIMIT, MEMORY_LIMIT):
        return 'exceeded its %s' % failure
    if result.signal is not None:
        return result.describe_exit()
    return None  # its exit status and first line tell the rest


def _output_lines():
    with open(_STDOUT_FILE, 'rb') as f:
        return f.read().decode('utf-8', 'replace').splitlines()
