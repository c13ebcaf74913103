"""The ``exec``, ``cpu-exec`` and ``unsafe-exec`` jobs.

``exec``: runs ``exe_file`` on ``in_file``, isolated, and judges it.

The program runs in bubblewrap (see :mod:`sio.workers.process`) as a
slot user of its own (see :doc:`security`): no network, its own PID
namespace, system directories read-only, a fresh in-memory working
directory the only place it can write, nothing of the caller's files or
of the job's (the expected output, the checker) in sight, and one
process only (threads are allowed): creating a process is a rule
violation (``RV``).  Without bubblewrap the job fails saying what to
install; it never runs the program unprotected.

Keys read:

``exe_file`` (required)
    the program, as stored by ``compile``.
``exec_info``
    how to run it, as returned by ``compile`` (see
    :mod:`sio.executors.modes`); default ``{"mode": "executable"}``.
``in_file`` (required)
    given to the program on standard input.
``out_file``
    where the program's standard output is stored.
``upload_out``
    store ``out_file`` in remote storage, not only locally (default
    false).
``exec_time_limit``
    CPU time limit in ms (default 10000).
``exec_real_time_limit``
    wall-clock limit in ms (default three times the CPU limit and one
    second more).
``exec_mem_limit``
    memory limit in KiB (default 66000): the program's address space;
    for Java, the JVM's heap.
``exec_out_limit``
    limit of the standard output in bytes (default 52428800).
``exec_dir_size_limit``
    how many bytes the program may keep in files in its working
    directory, which is in memory (default ``exec_out_limit``, at least
    1048576), holding one file or folder per 4 KiB of it; past either,
    writes fail with ``ENOSPC``.
``check_output``
    compare the output with ``hint_file`` when the run was ``OK``
    (default false).
``hint_file``
    the expected output; required when ``check_output``.
``chk_file``
    a checker program (see :mod:`sio.executors.checkers`), run
    isolated as ``chk IN OUT HINT``; default: compare ignoring the
    amount of white space and trailing white space.
``exec_sandbox``
    the name of a sandbox (see :mod:`sio.workers.sandbox`) to use as
    the program's whole root file system instead of the machine's
    system directories: it sees the sandbox's ``/usr``, ``/lib``...
    (a Python or Java program, its interpreter there), its working
    directory, and nothing of the machine.  The checker still runs on
    the machine's system directories.

Keys read from problem packages (see :mod:`sio.executors.package_files`):
``extra_execution_files``, ``extra_execution_args``, and a zipped
``in_file``.

Keys written:

``result_code``
    ``OK``, ``WA`` (wrong answer), ``TLE`` (CPU or wall-clock time),
    ``MLE``, ``OLE``, ``RE`` (runtime error), ``RV`` (rule violation: it
    tried to create a process or used a forbidden system call).
``result_string``
    why, in the original sioworkers' words (see
    :mod:`sio.executors.programs`): ``ok``, ``runtime error 3``,
    ``process exited due to signal 11`` (``program exited with code 3``
    and ``program exited due to signal 11`` for ``unsafe-exec``), ``time
    limit exceeded``, ``real time limit exceeded``, ``memory limit
    exceeded``, ``output limit exceeded``; or the checker's comment.
``result_percentage``
    a pair ``(numerator, denominator)``, the percentage being their
    quotient, as OIOIOI reads it (``Fraction(*result_percentage)``):
    ``(100, 1)`` for an accepted output (or the checker's percentage),
    else ``(0, 1)``, also when the output was not checked.
``time_used``
    CPU time of the program in ms (user and system).
``real_time_used``
    wall-clock time the program ran, in ms.
``mem_used``
    peak resident memory of the program in KiB.
``num_syscalls``
    always 0: system calls are not counted (the original's sio2jail
    counted them).
"""

import os
import shutil

from sio.executors import checkers, defaults
from sio.executors.modes import STDERR_FILE, Native, exec_mode
from sio.executors.package_files import (extra_execution_args,
                                         place_extra_execution_files, unzipped_input)
from sio.executors.programs import dir_size_limit, isolation, read_limits, verdict
from sio.workers import ft, sandbox
from sio.workers.exceptions import Failure
from sio.workers.keys import flag, optional
from sio.workers.process import run_program

SANDBOX_KEY = 'exec_sandbox'
#: The job's own files in the program's directory.
RESERVED_NAMES = ('exe', 'chk', 'in', 'in.unzipped', 'hint', 'out', STDERR_FILE,
                  'checker.out')


def run_exec(environ):
    """``exec``: runs ``exe_file`` on ``in_file``, isolated, and judges it
    (its keys: see the module)."""
    return _run(environ, isolated=True)


def run_cpu_exec(environ):
    """``cpu-exec``: like ``exec`` (same keys, same isolation).

    It is the job a judging system asks for when only CPU time matters;
    the program is measured in CPU time in both, so they behave alike.
    """
    return _run(environ, isolated=True)


def run_sio2jail_exec(environ):
    """``sio2jail-exec``: OIOIOI's default exec job; here ``exec`` (same
    keys, same isolation).

    The original runs it under sio2jail, which counts instructions with
    the processor's performance counters; here the program is isolated as
    for ``exec`` and measured in CPU time, so its ``time_used`` is CPU
    time, not instructions turned into time.
    """
    return _run(environ, isolated=True)


def run_unsafe_exec(environ):
    """``unsafe-exec``: like ``exec`` (same keys), with resource limits only.

    For trusted programs: no isolation, and no limit on the number of its
    processes; its process group is killed when it ends.  It contains
    nothing else: the program runs as the worker's user, with its files,
    its network, and the worker itself within reach (see
    :doc:`security`).  Without
    isolation there is no root file system to replace: ``exec_sandbox`` is
    an error.
    """
    return _run(environ, isolated=False)


def _run(environ, isolated):
    if not isolated and optional(environ, SANDBOX_KEY, None, str):
        raise Failure('job %r: key %r needs an isolated run (exec or cpu-exec); this '
                      'job runs the program without isolation, so it has no root file '
                      'system a sandbox could replace'
                      % (environ.get('job_type'), SANDBOX_KEY))
    limits = read_limits(environ)
    mode, exec_info = exec_mode(environ)
    check = flag(environ, 'check_output')
    exe = _program_file(environ, mode, isolated)
    chk = ft.download(environ, 'chk_file', 'chk') if check and environ.get('chk_file') \
        else None
    # Files only this job reads, or a trusted program reads from an open
    # descriptor, are used where they are; an isolated program (it could
    # reopen its standard input for writing) and a checker get copies.
    stdin = ft.download(environ, 'in_file', 'in') if isolated or chk \
        else ft.read_path(environ, 'in_file', 'in')
    stdin = unzipped_input(environ, stdin, 'in.unzipped')
    hint = None
    if check:
        hint = ft.download(environ, 'hint_file', 'hint') if chk \
            else ft.read_path(environ, 'hint_file', 'hint')
    if mode.runs_program:
        extra = place_extra_execution_files(environ, '.', RESERVED_NAMES)
        outcome = _run_program(environ, mode, exec_info, [exe] + extra, limits, stdin,
                               isolated)
    else:
        shutil.copyfile(exe, 'out')
        outcome = _outcome(defaults.OK, 'ok')
    if outcome['result_code'] == defaults.OK and check:
        _judge_output(environ, outcome, stdin, hint, chk)
    environ.update(outcome)
    if environ.get('out_file'):
        ft.upload(environ, 'out_file', 'out', to_remote=flag(environ, 'upload_out'))
    return environ


def _program_file(environ, mode, isolated):
    """``exe_file`` as the program runs it: a copy in the job's directory for
    an isolated run (only that directory is in its sight); for unsafe-exec,
    a local program that its user can run already is run where it is (a
    trusted program, and a copy costs a new file per test)."""
    if not isolated:
        path = ft.read_path(environ, 'exe_file', 'exe')
        if mode.name != Native.name or os.access(path, os.X_OK):
            return path
    return ft.download(environ, 'exe_file', 'exe')


def _outcome(code, text, result=None):
    """The keys every exec job writes, as the original writes them."""
    return {'result_code': code, 'result_string': text,
            'result_percentage': checkers.NONE,
            'time_used': result.cpu_ms if result else 0,
            'mem_used': result.mem_kib if result else 0,
            'real_time_used': result.wall_ms if result else 0,
            'num_syscalls': 0}


def _run_program(environ, mode, exec_info, files, limits, stdin, isolated):
    """Runs the program ``files[0]``, the others beside it."""
    argv, limits = mode.command(environ, files[0], exec_info, limits)
    argv += extra_execution_args(environ)
    if isolated:
        limits.processes = 1
    scratch = dir_size_limit(environ)
    with sandbox.named_in(environ, SANDBOX_KEY) as root:
        # The job's directory (hint, checker, the output) stays out of
        # sight: the program's working directory is a fresh one at its path.
        how = isolation(files, scratch, root=root.path if root else None) \
            if isolated else None
        result = run_program(argv, limits=limits, stdin=stdin, stdout='out',
                             stderr=mode.stderr, isolation=how)
    code, text = verdict(result, mode, isolated)
    return _outcome(code, text, result)


def _judge_output(environ, outcome, in_path, hint, chk):
    if chk is not None:
        judged = checkers.run_checker(chk, in_path, 'out', hint, environ)
    else:
        judged = checkers.compare('out', hint)
    outcome['result_percentage'] = judged.result_percentage
    if judged.ok:
        outcome['result_string'] = judged.comment or outcome['result_string']
    else:
        outcome['result_code'] = defaults.WRONG_ANSWER
        outcome['result_string'] = judged.comment
