"""The ``interactive-exec`` job: a program judged in dialogue with an interactor.

``interactive-exec``: runs ``exe_file`` in dialogue with an interactor.

The program and the interactor ``interactor_file`` run at the same
time, each isolated (as ``exec`` runs programs) in a directory of its
own, connected by pipes: what the program writes to its standard output
the interactor reads on its standard input, and the other way round.

The interactor is run as ``interactor IN VERDICT`` (``interactor IN
VERDICT HINT`` when ``hint_file`` is given): it reads the test from
``IN`` and writes its verdict to the file ``VERDICT`` in the checker's
format -- ``OK`` or anything else (wrong), an optional comment line and,
for ``OK``, an optional percentage.  Its exit status is ignored.

The outcome, in order of precedence:

* the program's own failure (``TLE``, ``MLE``, ``RE``, ``RV``) when it
  failed before the interactor ended;
* a broken interactor -- killed by a signal, past its limits, or no
  verdict written -- is a problem of the task, not of the program:
  the job fails (``result`` is ``FAILURE``) saying so;
* a rejecting verdict written by an interactor that ended first, since
  the program may well have failed only because its partner was gone;
* then the program's failure, if any (for example ``TLE`` when it
  waited for input that never came);
* then the interactor's verdict.

Neither side can hold the job: each has a wall-clock limit, and a
program that ends closes its pipes, so its partner reads end-of-file.

Keys read:

``exe_file`` (required), ``exec_info``
    the program, as for ``exec``.
``exec_time_limit``, ``exec_real_time_limit``, ``exec_mem_limit``
    its limits, as for ``exec``.
``in_file`` (required)
    the test, given to the interactor as its first argument.
``interactor_file`` (required)
    the interactor, a native executable.
``hint_file``
    passed to the interactor as its third argument.
``interactor_time_limit``
    CPU time limit of the interactor in ms (default: twice
    ``exec_time_limit``).
``interactor_real_time_limit``
    its wall-clock limit (default three times its CPU limit and one
    second more).
``interactor_mem_limit``
    its memory limit in KiB (default 262144).

Keys written:

``result_code``
    ``OK``, ``WA`` (the interactor's verdict was not ``OK``), ``TLE``,
    ``MLE``, ``RE`` or ``RV``.
``result_string``
    the interactor's comment, or why the program failed.
``result_percentage``
    0 to 100: the interactor's percentage for ``OK``, else 0.
``time_used``, ``mem_used``
    CPU time (ms) and peak memory (KiB) of the program.
"""

import os

from sio.executors import checkers, defaults, programs
from sio.executors._waiting import first_to_end
from sio.executors.defaults import INTERACTOR_MEM_LIMIT, INTERACTOR_TIME_FACTOR
from sio.executors.modes import exec_mode
from sio.workers import ft
from sio.workers.exceptions import Failure
from sio.workers.keys import limit
from sio.workers.process import Isolation, Limits, start_program
from sio.workers.process.limits import MEMORY_LIMIT, TIME_LIMIT

_SOLUTION_DIR = 'solution'
_INTERACTOR_DIR = 'interactor'
_VERDICT_FILE = 'verdict'


def run(environ):
    """``interactive-exec``: runs ``exe_file`` in dialogue with an interactor.

    Its keys: see the module.
    """
    limits = programs.read_limits(environ)
    limits.processes = 1
    limits.output_bytes = None  # its output goes to a pipe, not to a file
    interactor_limits = _interactor_limits(environ, limits.cpu_ms)
    mode, exec_info = exec_mode(environ)
    if not mode.runs_program:
        raise Failure("job 'interactive-exec': an output-only exe_file cannot talk to "
                      "an interactor (exec_info mode 'output-only')")
    solution_dir, interactor_dir = _make_dirs()
    exe = ft.download(environ, 'exe_file', os.path.join(solution_dir, 'exe'))
    argv, limits = mode.command(environ, exe, exec_info, limits)
    interactor_argv = _interactor_argv(environ, interactor_dir)
    solution, interactor, first = _run_both(
        (argv, limits, solution_dir), (interactor_argv, interactor_limits, interactor_dir))
    environ.update(_judge(solution, interactor, first, interactor_dir, mode))
    environ['time_used'] = solution.cpu_ms
    environ['mem_used'] = solution.mem_kib
    return environ


def _interactor_limits(environ, solution_cpu_ms):
    cpu = limit(environ, 'interactor_time_limit', INTERACTOR_TIME_FACTOR * solution_cpu_ms)
    return Limits(
        cpu_ms=cpu,
        wall_ms=limit(environ, 'interactor_real_time_limit', defaults.real_time_limit(cpu)),
        memory_kib=limit(environ, 'interactor_mem_limit', INTERACTOR_MEM_LIMIT))


def _make_dirs():
    dirs = (os.path.abspath(_SOLUTION_DIR), os.path.abspath(_INTERACTOR_DIR))
    for path in dirs:
        os.mkdir(path)
    return dirs


def _interactor_argv(environ, interactor_dir):
    def here(name):
        return os.path.join(interactor_dir, name)

    interactor = ft.download(environ, 'interactor_file', here('interactor'))
    os.chmod(interactor, 0o755)
    argv = [interactor, ft.download(environ, 'in_file', here('in')), here(_VERDICT_FILE)]
    if environ.get('hint_file'):
        argv.append(ft.download(environ, 'hint_file', here('hint')))
    return argv


def _run_both(solution_run, interactor_run):
    """Starts both programs joined by two pipes; (solution result,
    interactor result, the result of the one that ended first or None)."""
    to_solution = os.pipe()
    from_solution = os.pipe()
    running = []
    try:
        for (argv, limits, cwd), stdin, stdout in (
                (solution_run, to_solution[0], from_solution[1]),
                (interactor_run, from_solution[0], to_solution[1])):
            running.append(start_program(argv, limits=limits, cwd=cwd, stdin=stdin,
                                          stdout=stdout, isolation=Isolation()))
        # Only the two programs may hold the pipes: a program then sees
        # end-of-file as soon as its partner is gone.
        _close_all(to_solution + from_solution)
        first = first_to_end(running)
        results = [program.wait() for program in running]
    except BaseException:
        _close_all(to_solution + from_solution)
        for program in running:
            program.kill()
        for program in running:
            program.wait()
        raise
    return results[0], results[1], (None if first is None else first.result)


def _close_all(fds):
    for fd in fds:
        try:
            os.close(fd)
        except OSError:  # closed already
            pass


def _judge(solution, interactor, first, interactor_dir, mode):
    code, text = programs.verdict(solution, mode)
    interactor_ended_first = first is interactor
    outcome = {'result_code': code, 'result_string': text, 'result_percentage': 0.0}
    if code != defaults.OK and not solution.wall_limit_exceeded \
            and not interactor_ended_first:
        return outcome
    verdict = _interactor_verdict(interactor, interactor_dir)
    if code != defaults.OK and (verdict.ok or not interactor_ended_first):
        return outcome
    if not verdict.ok:
        return {'result_code': defaults.WRONG_ANSWER,
                'result_string': verdict.comment or 'wrong answer',
                'result_percentage': 0.0}
    return {'result_code': defaults.OK, 'result_string': verdict.comment or 'ok',
            'result_percentage': verdict.percentage}


def _interactor_verdict(result, interactor_dir):
    """The interactor's :class:`~sio.executors.checkers.Verdict`;
    :class:`Failure` when it is broken."""
    lines = _verdict_lines(os.path.join(interactor_dir, _VERDICT_FILE))
    problem = None
    failure = result.failure
    if failure == TIME_LIMIT:
        problem = 'exceeded its time limit (interactor_time_limit, ' \
                  'interactor_real_time_limit)'
    elif failure == MEMORY_LIMIT:
        problem = 'exceeded its memory limit (interactor_mem_limit)'
    elif result.signal is not None:
        problem = 'was %s' % result.describe_exit()
    elif not lines or not lines[0].strip():
        problem = 'wrote no verdict to its second argument (%s)' % result.describe_exit()
    if problem is not None:
        raise Failure('interactor interactor_file %s: the task\'s interactor is broken'
                      % problem)
    try:
        return checkers.parse_output(lines)
    except Failure as e:
        raise Failure('interactor interactor_file wrote an unusable verdict: %s' % e)


def _verdict_lines(path):
    try:
        with open(path, 'rb') as f:
            return f.read(1 << 16).decode('utf-8', 'replace').splitlines()
    except OSError:
        return []
