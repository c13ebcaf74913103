"""The ``inwer`` job: run an input verifier on a test input."""


from sio.executors import defaults
from sio.executors.programs import command
from sio.workers import ft
from sio.workers.keys import limit, optional
from sio.workers.process import Isolation, Limits, run_program

#: Defaults of the inwer keys (ms, KiB, bytes).
INWER_TIME_LIMIT = 300000
INWER_MEM_LIMIT = 262144
INWER_OUTPUT_LIMIT = 10240

#: ``result_code`` of an input the verifier rejects.
WRONG = 'WRONG'

_STDOUT_FILE = 'inwer.stdout'


def run(environ):
    """``inwer``: runs an input verifier on ``in_file`` and reports its word.

    The verifier runs isolated (as ``exec`` runs programs) with the test
    input on its standard input.  The input is accepted when the verifier
    exits with status 0 within its limits and its first output line begins
    with ``OK``.

    Keys read:

    ``exe_file`` (required)
        the verifier, as stored by ``compile``.
    ``exec_info``
        how to run it, as returned by ``compile`` (default: a native
        executable).
    ``in_file`` (required)
        the test input to verify.
    ``inwer_argument``
        if given, passed to the verifier as its only argument (for example
        the test's name, when the verifier checks per-test constraints).
    ``inwer_time_limit``
        CPU time limit in ms (default 300000); the wall-clock limit is
        three times that and one second more.
    ``inwer_mem_limit``
        memory limit in KiB (default 262144).
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
    limits = _limits(environ)
    argument = optional(environ, 'inwer_argument', None, (str, int))
    exe = ft.download(environ, 'exe_file', 'inwer')
    stdin = ft.download(environ, 'in_file', 'in')
    exec_info = optional(environ, 'exec_info', {'mode': 'executable'}, dict)
    argv, limits = command(environ, exec_info.get('mode', 'executable'), exec_info,
                            exe, limits)
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
    if result.cpu_limit_exceeded or result.wall_limit_exceeded:
        return 'exceeded its time limit'
    if result.memory_limit_exceeded:
        return 'exceeded its memory limit'
    if result.output_limit_exceeded:
        return 'printed more than inwer_output_limit allows'
    if result.signal is not None:
        return result.describe_exit()
    return None  # its exit status and first line tell the rest


def _output_lines():
    with open(_STDOUT_FILE, 'rb') as f:
        return f.read().decode('utf-8', 'replace').splitlines()
