"""The exec modes: how a compiled program of each ``exec_info`` mode runs.

``exec_info`` (written by the ``compile`` job) names a mode; each mode is
one :class:`ExecMode` in :data:`MODES`, so a new kind of compiled program
is one more entry there:

``{"mode": "executable"}`` (the default)
    a native program (ELF, or a script with a ``#!`` line);
``{"mode": "java", "main_class": "Main"}``
    ``exe_file`` is a jar, run by the system's ``java`` with the class
    ``main_class`` (default ``Main``); the memory limit becomes the JVM's
    heap limit;
``{"mode": "python"}``
    ``exe_file`` is a Python 3 script, run by the system's ``python3``;
``{"mode": "output-only"}``
    ``exe_file`` is the answer itself: it is taken as the output.
"""

import os

from sio.workers.exceptions import Failure
from sio.workers.keys import optional
from sio.workers.process import Limits

_ELF_MAGIC = b'\x7fELF'
#: Where a program's standard error goes when its mode reads it afterwards.
STDERR_FILE = 'stderr'


class ExecMode:
    """How the programs of one mode are started and judged."""

    #: The ``exec_info`` mode.
    name = None
    #: False for a mode whose ``exe_file`` is not a program at all.
    runs_program = True
    #: Where the program's standard error goes (``None``: discarded).
    stderr = None

    def command(self, environ, exe, exec_info, limits):
        """``(argv, limits)`` that start ``exe`` under ``limits``."""
        raise NotImplementedError

    def out_of_memory(self, result):
        """True when the finished run shows it ran out of memory in a way
        the limits cannot see (a runtime's own heap limit)."""
        return False


class Native(ExecMode):
    name = 'executable'

    def command(self, environ, exe, exec_info, limits):
        with open(exe, 'rb') as f:
            head = f.read(4)
        if head != _ELF_MAGIC and not head.startswith(b'#!'):
            raise Failure("job %r: key 'exe_file' names %r, which is not an executable "
                          "program (neither a native binary nor a #! script)"
                          % (environ.get('job_type'), environ.get('exe_file')))
        exe = os.path.abspath(exe)
        if os.path.dirname(exe) == os.getcwd():
            # The job's own copy: executable by everyone (a slot user too).
            # A trusted program run where it is (unsafe-exec) is left alone.
            os.chmod(exe, 0o755)
        return [exe], limits


class Python(ExecMode):
    name = 'python'

    def command(self, environ, exe, exec_info, limits):
        return ['python3', '-S', os.path.abspath(exe)], limits


class Java(ExecMode):
    name = 'java'
    stderr = STDERR_FILE

    def command(self, environ, exe, exec_info, limits):
        main_class = exec_info.get('main_class') or 'Main'
        # As in the original, the memory limit is the JVM's heap limit and
        # the size of its threads' stacks (a deep recursion in main() may use
        # all of it); the JVM reserves far more address space than it uses,
        # so these stand for the memory limit.
        memory = '%dk' % limits.memory_kib
        argv = ['java', '-Xmx' + memory, '-Xss' + memory,
                '-XX:+UseSerialGC', '-XX:-UsePerfData', '-XX:TieredStopAtLevel=1',
                '-cp', os.path.abspath(exe), main_class]
        java_limits = Limits(cpu_ms=limits.cpu_ms, wall_ms=limits.wall_ms,
                             output_bytes=limits.output_bytes)
        return argv, java_limits

    def out_of_memory(self, result):
        """The JVM said its heap or a thread's stack (``-Xss``, the memory
        limit too) could not grow: the program wanted more than its limit."""
        try:
            with open(self.stderr, 'rb') as f:
                said = f.read(1 << 16)
        except OSError:
            return False
        return b'java.lang.OutOfMemoryError' in said or b'java.lang.StackOverflowError' in said


class OutputOnly(ExecMode):
    name = 'output-only'
    runs_program = False

    def command(self, environ, exe, exec_info, limits):
        raise Failure("job %r: an output-only exe_file is the answer itself, not a "
                      "program this job could run (exec_info mode 'output-only')"
                      % environ.get('job_type'))


#: Every exec mode, by its ``exec_info`` name.
MODES = {mode.name: mode for mode in (Native(), Java(), Python(), OutputOnly())}


def exec_mode(environ):
    """``(ExecMode, exec_info)`` of ``environ['exec_info']`` (default: a native
    executable)."""
    exec_info = optional(environ, 'exec_info', {'mode': Native.name}, dict)
    name = exec_info.get('mode', Native.name)
    mode = MODES.get(name) if isinstance(name, str) else None
    if mode is None:
        raise Failure("job %r: key 'exec_info' has unknown mode %r; expected %s"
                      % (environ.get('job_type'), name, _known_modes()))
    return mode, exec_info


def _known_modes():
    names = list(MODES)
    return ', '.join(names[:-1]) + ' or ' + names[-1]
