"""The ``exec``, ``cpu-exec`` and ``unsafe-exec`` jobs."""

import os
import shutil
import signal

from sio.executors import checkers, defaults
from sio.workers import ft
from sio.workers.exceptions import Failure
from sio.workers.keys import flag, limit, optional
from sio.workers.process import Isolation, Limits, run_program

_ELF_MAGIC = b'\x7fELF'
_STDERR_FILE = 'stderr'


def run_exec(environ):
    """``exec``: runs ``exe_file`` on ``in_file``, isolated, and judges it.

    The program runs in bubblewrap (see :mod:`sio.workers.process`): no
    network, its own PID namespace, system directories read-only, only its
    working directory writable, nothing of the caller's files in sight, and
    one process only (threads are allowed): creating a process is a rule
    violation (``RV``).  Without bubblewrap the job fails saying what to
    install; it never runs the program unprotected.

    Keys read:

    ``exe_file`` (required)
        the program, as stored by ``compile``.
    ``exec_info``
        how to run it, as returned by ``compile`` (see
        :mod:`sio.executors`); default ``{"mode": "executable"}``.
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
    ``check_output``
        compare the output with ``hint_file`` when the run was ``OK``
        (default false).
    ``hint_file``
        the expected output; required when ``check_output``.
    ``chk_file``
        a checker program (see :mod:`sio.executors.checkers`), run
        isolated as ``chk IN OUT HINT``; default: compare ignoring the
        amount of white space and trailing white space.

    Keys written:

    ``result_code``
        ``OK``, ``WA`` (wrong answer), ``TLE`` (CPU or wall-clock time),
        ``MLE``, ``OLE``, ``RE`` (runtime error), ``RV`` (rule violation: it
        tried to create a process or used a forbidden system call).
    ``result_string``
        why: ``exited with code N``, ``killed by signal N (SIGNAME)``,
        ``time limit exceeded``..., or the checker's comment.
    ``result_percentage``
        with ``check_output``: 0 to 100.
    ``time_used``
        CPU time of the program in ms (user and system).
    ``mem_used``
        peak resident memory of the program in KiB.
    """
    return _run(environ, isolated=True)


def run_cpu_exec(environ):
    """``cpu-exec``: like ``exec`` (same keys, same isolation).

    It is the job a judging system asks for when only CPU time matters;
    the program is measured in CPU time in both, so they behave alike.
    """
    return _run(environ, isolated=True)


def run_unsafe_exec(environ):
    """``unsafe-exec``: like ``exec`` (same keys), with resource limits only.

    For trusted programs: no isolation, and no limit on the number of its
    processes; its process group is killed when it ends.
    """
    return _run(environ, isolated=False)


def _read_limits(environ):
    cpu = limit(environ, 'exec_time_limit', defaults.EXEC_TIME_LIMIT)
    return Limits(
        cpu_ms=cpu,
        wall_ms=limit(environ, 'exec_real_time_limit', defaults.real_time_limit(cpu)),
        memory_kib=limit(environ, 'exec_mem_limit', defaults.EXEC_MEM_LIMIT),
        output_bytes=limit(environ, 'exec_out_limit', defaults.EXEC_OUT_LIMIT,
                           allow_zero=True),
    )


def _run(environ, isolated):
    limits = _read_limits(environ)
    exec_info = optional(environ, 'exec_info', {'mode': 'executable'}, dict)
    mode = exec_info.get('mode', 'executable')
    check = flag(environ, 'check_output')
    upload_out = flag(environ, 'upload_out')
    exe = ft.download(environ, 'exe_file', 'exe')
    stdin = ft.download(environ, 'in_file', 'in')
    hint = ft.download(environ, 'hint_file', 'hint') if check else None
    chk = ft.download(environ, 'chk_file', 'chk') if check and environ.get('chk_file') \
        else None
    if mode == 'output-only':
        shutil.copyfile(exe, 'out')
        outcome = {'result_code': defaults.OK, 'result_string': 'ok',
                   'time_used': 0, 'mem_used': 0}
    else:
        argv, limits = _command(environ, mode, exec_info, exe, limits)
        if isolated:
            limits.processes = 1
        result = run_program(argv, limits=limits, stdin=stdin, stdout='out',
                             stderr=_STDERR_FILE if mode == 'java' else None,
                             isolation=Isolation() if isolated else None)
        outcome = _judge_run(result, mode)
    if outcome['result_code'] == defaults.OK and check:
        _judge_output(outcome, stdin, hint, chk)
    for stale in ('result_code', 'result_string', 'result_percentage'):
        environ.pop(stale, None)
    environ.update(outcome)
    if environ.get('out_file'):
        ft.upload(environ, 'out_file', 'out', to_remote=upload_out)
    return environ


def _command(environ, mode, exec_info, exe, limits):
    if mode == 'executable':
        _check_native(environ, exe)
        os.chmod(exe, 0o755)
        return [os.path.abspath(exe)], limits
    if mode == 'python':
        return ['python3', '-S', os.path.abspath(exe)], limits
    if mode == 'java':
        main_class = exec_info.get('main_class') or 'Main'
        heap = limits.memory_kib
        argv = ['java', '-Xmx%dk' % heap, '-Xss%dk' % defaults.JAVA_STACK_KIB,
                '-XX:+UseSerialGC', '-XX:-UsePerfData', '-XX:TieredStopAtLevel=1',
                '-cp', os.path.abspath(exe), main_class]
        # The JVM reserves far more address space than it uses: its heap
        # limit stands for the memory limit.
        java_limits = Limits(cpu_ms=limits.cpu_ms, wall_ms=limits.wall_ms,
                             output_bytes=limits.output_bytes)
        return argv, java_limits
    raise Failure("job %r: key 'exec_info' has unknown mode %r; expected executable, "
                  "java, python or output-only" % (environ.get('job_type'), mode))


def _check_native(environ, exe):
    with open(exe, 'rb') as f:
        head = f.read(4)
    if head != _ELF_MAGIC and not head.startswith(b'#!'):
        raise Failure("job %r: key 'exe_file' names %r, which is not an executable "
                      "program (neither a native binary nor a #! script)"
                      % (environ.get('job_type'), environ.get('exe_file')))


def _judge_run(result, mode):
    code, text = _verdict(result, mode)
    return {'result_code': code, 'result_string': text,
            'time_used': result.cpu_ms, 'mem_used': result.mem_kib}


def _verdict(result, mode):
    # Output first: a program that handles or ignores SIGXFSZ may spin on
    # failing writes until its time is up.
    if result.output_limit_exceeded:
        return defaults.OUTPUT_LIMIT_EXCEEDED, 'output limit exceeded'
    if result.cpu_limit_exceeded or result.wall_limit_exceeded:
        return defaults.TIME_LIMIT_EXCEEDED, 'time limit exceeded'
    if result.memory_limit_exceeded or (mode == 'java' and _java_out_of_memory()):
        return defaults.MEMORY_LIMIT_EXCEEDED, 'memory limit exceeded'
    if result.signal == signal.SIGSYS:
        return defaults.RULE_VIOLATION, ('forbidden system call (creating a process or '
                                         'a call outside the rules): %s'
                                         % result.describe_exit())
    if result.exit_code != 0:
        return defaults.RUNTIME_ERROR, result.describe_exit()
    return defaults.OK, 'ok'


def _java_out_of_memory():
    try:
        with open(_STDERR_FILE, 'rb') as f:
            return b'OutOfMemoryError' in f.read(1 << 16)
    except OSError:
        return False


def _judge_output(environ, in_path, hint, chk):
    if chk is not None:
        verdict = checkers.run_checker(chk, in_path, 'out', hint)
    else:
        verdict = checkers.compare('out', hint)
    environ['result_percentage'] = verdict.percentage
    if verdict.ok:
        environ['result_string'] = verdict.comment or 'ok'
    else:
        environ['result_code'] = defaults.WRONG_ANSWER
        environ['result_string'] = verdict.comment or 'wrong answer'
