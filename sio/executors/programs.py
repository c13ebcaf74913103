"""How the executors start and judge a compiled program.

Shared by every job that runs a contestant's or a problem setter's program
(``exec``, ``ingen``, ``inwer``, ``interactive-exec``): the command line
for each ``exec_info`` mode, the ``exec_*`` limits, and the verdict of a
finished run.
"""

import os
import signal

from sio.executors import defaults
from sio.workers.exceptions import Failure
from sio.workers.keys import limit
from sio.workers.process import Limits

_ELF_MAGIC = b'\x7fELF'
#: Where a Java program's standard error goes, to recognise OutOfMemoryError.
STDERR_FILE = 'stderr'


def read_limits(environ):
    """The ``exec_*`` limits of ``environ`` as :class:`~sio.workers.process.Limits`."""
    cpu = limit(environ, 'exec_time_limit', defaults.EXEC_TIME_LIMIT)
    return Limits(
        cpu_ms=cpu,
        wall_ms=limit(environ, 'exec_real_time_limit', defaults.real_time_limit(cpu)),
        memory_kib=limit(environ, 'exec_mem_limit', defaults.EXEC_MEM_LIMIT),
        output_bytes=limit(environ, 'exec_out_limit', defaults.EXEC_OUT_LIMIT,
                           allow_zero=True),
    )


def command(environ, mode, exec_info, exe, limits):
    """``(argv, limits)`` starting ``exe`` in ``mode`` (see :mod:`sio.executors`)."""
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


def verdict(result, mode):
    """``(result_code, result_string)`` of a finished run."""
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
        with open(STDERR_FILE, 'rb') as f:
            return b'OutOfMemoryError' in f.read(1 << 16)
    except OSError:
        return False
