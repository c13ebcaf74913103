"""The interactive jobs: a program judged in dialogue with an interactor.

``interactive-exec``, ``cpu-interactive-exec`` and
``sio2jail-interactive-exec`` run the program isolated, as ``exec`` does;
``unsafe-interactive-exec`` runs both sides with resource limits only, as
``unsafe-exec`` does.

The protocol is the original sioworkers' one, so that interactors written
for it work unchanged.  ``num_processes`` copies of the program run at the
same time (default 1), copy ``i`` as ``exe i``, each in a directory of its
own, talking to the interactor through two pipes on its standard input and
output.  The interactor ``interactor_file`` runs as ``interactor N R1 W1
... RN WN``: ``N`` copies, and for copy ``i`` the descriptor ``Ri`` it
reads that copy's output from and ``Wi`` it writes that copy's input to.
The test is on its standard input, and it prints its verdict on its
standard output in the checker's format (see :mod:`sio.executors.checkers`):
``OK`` or anything else (wrong), an optional comment line and, for ``OK``,
an optional percentage.  Its exit status is not read.  The expected output
(``hint_file``) is not used: the interactor is the judge.

The outcome, in order of precedence:

* the program's own failure (``TLE``, ``MLE``, ``RE``, ``RV``) when it
  failed before the interactor ended;
* a broken interactor -- killed by a signal other than ``SIGPIPE``, past
  its limits, or no verdict written -- is a problem of the task, not of
  the program: the job fails (``result`` is ``FAILURE``) saying so;
* a rejecting verdict written by an interactor that ended first, since
  the program may well have failed only because its partner was gone;
* then the program's failure, if any (for example ``TLE`` when it
  waited for input that never came);
* an interactor stopped by ``SIGPIPE`` without a verdict, or one that
  exited with status 141 (128 + ``SIGPIPE``: the original treats the two
  alike, and interactors written for it return 141 when the program has
  gone): ``WA``, ``solution exited prematurely``;
* then the interactor's verdict.

Neither side can hold the job: each has a wall-clock limit, and a
program that ends closes its pipes, so its partner reads end-of-file.

Keys read:

``exe_file`` (required), ``exec_info``
    the program, as for ``exec``; ``extra_execution_files`` and
    ``extra_execution_args`` as for ``exec``.
``exec_time_limit``, ``exec_real_time_limit``, ``exec_mem_limit``
    the limits of each copy, as for ``exec``.
``num_processes``
    how many copies of the program run (default 1).
``in_file`` (required)
    the test, on the interactor's standard input (a zipped test is
    unpacked, as for ``exec``).
``interactor_file`` (required)
    the interactor, a native executable.
``interactor_time_limit``
    CPU time limit of the interactor in ms (default: twice
    ``exec_time_limit``).
``interactor_real_time_limit``
    its wall-clock limit (default three times its CPU limit and one
    second more).
``interactor_mem_limit``
    its memory limit in KiB (default 262144).
``out_file``
    where the interactor's output (its verdict) is stored, if given.

Keys written:

``result_code``
    ``OK``, ``WA`` (the interactor's verdict was not ``OK``), ``TLE``,
    ``MLE``, ``RE`` or ``RV``.
``result_string``
    the interactor's comment, or why the program failed.
``result_percentage``
    a pair, as for ``exec``: the interactor's percentage for ``OK``, else
    ``(0, 1)``.
``time_used``, ``mem_used``, ``real_time_used``
    CPU time (ms), peak memory (KiB) and wall-clock time (ms) of the
    program (the largest over its copies).
"""

import os
import signal

from sio.executors import checkers, defaults, programs
from sio.executors._waiting import first_to_end
from sio.executors.defaults import (INTERACTOR_MEM_LIMIT, INTERACTOR_TIME_FACTOR,
                                    MAX_PROCESSES, SCRATCH_DIR_LIMIT)
from sio.executors.modes import exec_mode
from sio.executors.package_files import (extra_execution_args,
                                         place_extra_execution_files, unzipped_input)
from sio.workers import ft
from sio.workers.exceptions import Failure
from sio.workers.keys import limit
from sio.workers.process import Limits, start_program
from sio.workers.process.limits import MEMORY_LIMIT, TIME_LIMIT

_INTERACTOR_DIR = 'interactor'
_VERDICT_FILE = 'out'


def run(environ):
    """``interactive-exec``: the program, isolated, in dialogue with an
    interactor.

    Its keys: see the module.
    """
    return _run(environ, isolated=True)


def run_cpu(environ):
    """``cpu-interactive-exec``: like ``interactive-exec``."""
    return _run(environ, isolated=True)


def run_sio2jail(environ):
    """``sio2jail-interactive-exec``: like ``interactive-exec``, measured in
    CPU time (see ``sio2jail-exec``)."""
    return _run(environ, isolated=True)


def run_unsafe(environ):
    """``unsafe-interactive-exec``: like ``interactive-exec``, with resource
    limits only, for trusted programs."""
    return _run(environ, isolated=False)


def _run(environ, isolated):
    limits = programs.read_limits(environ)
    if isolated:
        limits.processes = 1
    limits.output_bytes = None  # its output goes to a pipe, not to a file
    count = limit(environ, 'num_processes', 1)
    if count > MAX_PROCESSES:
        raise Failure("job %r: key 'num_processes' is %d; at most %d copies of the "
                      "program can run" % (environ.get('job_type'), count, MAX_PROCESSES))
    mode, exec_info = exec_mode(environ)
    if not mode.runs_program:
        raise Failure("job %r: an output-only exe_file cannot talk to an interactor "
                      "(exec_info mode 'output-only')" % environ.get('job_type'))
    solutions = [_prepare_solution(environ, mode, exec_info, limits, index)
                 for index in range(count)]
    interactor_dir = os.path.abspath(_INTERACTOR_DIR)
    os.mkdir(interactor_dir)
    interactor = (_interactor_argv(environ, interactor_dir),
                  _interactor_limits(environ, limits.cpu_ms), interactor_dir)
    results, interactor_result, interactor_first = _run_all(
        solutions, interactor, _interactor_input(environ, interactor_dir), isolated,
        programs.dir_size_limit(environ))
    environ.update(_judge(results, interactor_result, interactor_first,
                          interactor_dir, mode, isolated))
    if environ.get('out_file'):
        ft.upload(environ, 'out_file', os.path.join(interactor_dir, _VERDICT_FILE),
                  to_remote=bool(environ.get('upload_out')))
    return environ


def _prepare_solution(environ, mode, exec_info, limits, index):
    """(argv, limits, directory, its files) of copy ``index`` of the program."""
    directory = os.path.abspath('solution-%d' % index)
    os.mkdir(directory)
    exe = ft.download(environ, 'exe_file', os.path.join(directory, 'exe'))
    extra = place_extra_execution_files(environ, directory, ('exe',))
    argv, copy_limits = mode.command(environ, exe, exec_info,
                                     Limits(**{k: getattr(limits, k)
                                               for k in Limits.__slots__}))
    return (argv + [str(index)] + extra_execution_args(environ), copy_limits, directory,
            [exe] + extra)


def _interactor_limits(environ, solution_cpu_ms):
    cpu = limit(environ, 'interactor_time_limit', INTERACTOR_TIME_FACTOR * solution_cpu_ms)
    return Limits(
        cpu_ms=cpu,
        wall_ms=limit(environ, 'interactor_real_time_limit', defaults.real_time_limit(cpu)),
        memory_kib=limit(environ, 'interactor_mem_limit', INTERACTOR_MEM_LIMIT))


def _interactor_argv(environ, interactor_dir):
    interactor = ft.download(environ, 'interactor_file',
                             os.path.join(interactor_dir, 'interactor'))
    os.chmod(interactor, 0o755)
    return [interactor]


def _interactor_input(environ, interactor_dir):
    path = ft.download(environ, 'in_file', os.path.join(interactor_dir, 'in'))
    return unzipped_input(environ, path, os.path.join(interactor_dir, 'in.unzipped'))


def _run_all(solutions, interactor, test_path, isolated, scratch):
    """Starts the interactor and every copy of the program, joined by
    pipes; (the copies' results, the interactor's result, whether the
    interactor ended first)."""
    pipes = [(os.pipe(), os.pipe()) for _ in solutions]  # (to copy, from copy)
    interactor_fds = []
    for to_copy, from_copy in pipes:
        interactor_fds += [from_copy[0], to_copy[1]]
    argv, limits, cwd = interactor
    argv = argv + [str(len(solutions))] + [str(fd) for fd in interactor_fds]
    running = []
    try:
        # Each in a fresh working directory of its own, where only its own
        # files appear; the verdict goes to a descriptor.
        running.append(start_program(
            argv, limits=limits, cwd=cwd, stdin=test_path,
            stdout=os.path.join(cwd, _VERDICT_FILE), pass_fds=interactor_fds,
            isolation=programs.isolation(argv[:1], SCRATCH_DIR_LIMIT)))
        for (argv, limits, cwd, files), (to_copy, from_copy) in zip(solutions, pipes):
            isolation = programs.isolation(files, scratch) if isolated else None
            running.append(start_program(argv, limits=limits, cwd=cwd, stdin=to_copy[0],
                                          stdout=from_copy[1], isolation=isolation))
        # Only the programs may hold the pipes: a program then sees
        # end-of-file as soon as its partner is gone.
        _close_all(pipes)
        first = first_to_end(running)
        # Each wait() enforces its own program's wall-clock limit: the
        # earliest deadline first, so that a program stuck past its limit
        # is stopped and its partner reads end-of-file.
        for program in sorted(running, key=_deadline_order):
            program.wait()
        results = [program.result for program in running]
    except BaseException:
        _close_all(pipes)
        for program in running:
            program.kill()
        for program in running:
            program.wait()
        raise
    return results[1:], results[0], _ended_first(results[0], results[1:],
                                                 first is running[0])


def _ended_first(interactor, copies, observed):
    """Whether the interactor ended before every copy of the program.

    Told by the supervisors' clocks, read as each reaped its program: a
    program that crashes wakes its partner at once, and the sandboxes
    around both may then take longer to close than the partner takes to
    end, so the order their wrappers ended in (``observed``, used when a
    clock is missing) can be the wrong one."""
    stamps = [result.ended_ns for result in copies]
    if interactor.ended_ns is None or None in stamps:
        return observed
    return interactor.ended_ns < min(stamps)


def _deadline_order(program):
    deadline = program.wall_deadline()
    return float('inf') if deadline is None else deadline


def _close_all(pipes):
    for pair in pipes:
        for fds in pair:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:  # closed already
                    pass


def _judge(results, interactor, interactor_first, interactor_dir, mode, isolated):
    solution = _first_failed(results, mode, isolated)
    code, text = programs.verdict(solution, mode, isolated)
    outcome = _outcome(code, text, results)
    if code != defaults.OK and not solution.wall_limit_exceeded and not interactor_first:
        return outcome
    verdict = _interactor_verdict(interactor, interactor_dir)
    if verdict is None:  # stopped by SIGPIPE: a copy closed its pipe
        if code != defaults.OK:
            return outcome
        return _outcome(defaults.WRONG_ANSWER, 'solution exited prematurely', results)
    if code != defaults.OK and (verdict.ok or not interactor_first):
        return outcome
    outcome = _outcome(defaults.OK if verdict.ok else defaults.WRONG_ANSWER,
                       verdict.comment or ('ok' if verdict.ok else ''), results)
    outcome['result_percentage'] = verdict.result_percentage
    return outcome


def _first_failed(results, mode, isolated):
    for result in results:
        if programs.verdict(result, mode, isolated)[0] != defaults.OK:
            return result
    return results[0]


def _outcome(code, text, results):
    return {'result_code': code, 'result_string': text,
            'result_percentage': checkers.NONE,
            'time_used': max(r.cpu_ms for r in results),
            'mem_used': max(r.mem_kib for r in results),
            'real_time_used': max(r.wall_ms for r in results),
            'num_syscalls': 0}


def _interactor_verdict(result, interactor_dir):
    """The interactor's :class:`~sio.executors.checkers.Verdict`, ``None``
    when ``SIGPIPE`` stopped it before it wrote one; :class:`Failure` when
    it is broken."""
    lines = _verdict_lines(os.path.join(interactor_dir, _VERDICT_FILE))
    wrote_verdict = bool(lines) and bool(lines[0].strip())
    problem = None
    failure = result.failure
    if failure == TIME_LIMIT:
        problem = 'exceeded its time limit (interactor_time_limit, ' \
                  'interactor_real_time_limit)'
    elif failure == MEMORY_LIMIT:
        problem = 'exceeded its memory limit (interactor_mem_limit)'
    elif _stopped_by_sigpipe(result) and not wrote_verdict:
        return None
    elif result.signal is not None and not wrote_verdict:
        problem = 'was %s' % result.describe_exit()
    elif not wrote_verdict:
        problem = 'wrote no verdict on its standard output (%s)' % result.describe_exit()
    if problem is not None:
        raise Failure('interactor interactor_file %s: the task\'s interactor is broken'
                      % problem)
    try:
        return checkers.parse_output(lines)
    except Failure as e:
        raise Failure('interactor interactor_file wrote an unusable verdict: %s' % e)


def _stopped_by_sigpipe(result):
    """Killed by ``SIGPIPE``, or exited with status 141 (128 + ``SIGPIPE``),
    which the original cannot tell apart (it ran the interactor under a
    shell) and which interactors written for it return on purpose when the
    program has gone."""
    if result.signal is not None:
        return result.signal == signal.SIGPIPE
    return result.exit_code == 128 + signal.SIGPIPE


def _verdict_lines(path):
    try:
        with open(path, 'rb') as f:
            return f.read(1 << 16).decode('utf-8', 'replace').splitlines()
    except OSError:
        return []
