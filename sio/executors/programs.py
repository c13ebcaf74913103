"""What the executors share about a program's run: its ``exec_*`` limits
and the verdict of a finished run.

Used by every job that runs a contestant's or a problem setter's program
(``exec``, ``ingen``, ``inwer``, ``interactive-exec``); how each
``exec_info`` mode is started is in :mod:`sio.executors.modes`.

The ``result_string`` texts are the original sioworkers' ones, which OIOIOI
shows and explains: an isolated run speaks as sio2jail does (``process
exited due to signal 11``, ``runtime error 3``), an unprotected one as the
original's unprotected executor (``program exited due to signal 11``,
``program exited with code 3``).
"""

import os

from sio.executors import defaults
from sio.workers.keys import limit
from sio.workers.process import Isolation, Limits, limits as process_limits

#: The result code of each way a run fails (see ``ProgramResult.failure``).
RESULT_CODES = {
    process_limits.OUTPUT_LIMIT: defaults.OUTPUT_LIMIT_EXCEEDED,
    process_limits.TIME_LIMIT: defaults.TIME_LIMIT_EXCEEDED,
    process_limits.MEMORY_LIMIT: defaults.MEMORY_LIMIT_EXCEEDED,
    process_limits.FORBIDDEN_CALL: defaults.RULE_VIOLATION,
    process_limits.KILLED: defaults.RUNTIME_ERROR,
    process_limits.EXIT_CODE: defaults.RUNTIME_ERROR,
}

#: ``result_string`` of each failure: isolated runs, then unprotected ones
#: where they differ.  ``%d`` is the signal or the exit code.
RESULT_STRINGS = {
    process_limits.OUTPUT_LIMIT: 'output limit exceeded',
    process_limits.TIME_LIMIT: 'time limit exceeded',
    process_limits.MEMORY_LIMIT: 'memory limit exceeded',
    process_limits.FORBIDDEN_CALL: 'intercepted forbidden syscall (creating a process '
                                   'or a call outside the rules)',
    process_limits.KILLED: 'process exited due to signal %d',
    process_limits.EXIT_CODE: 'runtime error %d',
}
UNPROTECTED_RESULT_STRINGS = dict(
    RESULT_STRINGS, **{process_limits.KILLED: 'program exited due to signal %d',
                       process_limits.EXIT_CODE: 'program exited with code %d'})
#: A run stopped by its wall-clock limit, not by its CPU time.
REAL_TIME_LIMIT_STRING = 'real time limit exceeded'


def dir_size_limit(environ):
    """``exec_dir_size_limit``: the bytes an isolated program may keep in
    files in its working directory; default ``exec_out_limit`` (at least
    :data:`~sio.executors.defaults.EXEC_DIR_SIZE_FLOOR`)."""
    out_limit = limit(environ, 'exec_out_limit', defaults.EXEC_OUT_LIMIT, allow_zero=True)
    return limit(environ, 'exec_dir_size_limit',
                 max(out_limit, defaults.EXEC_DIR_SIZE_FLOOR))


def isolation(files, scratch_bytes, root=None, writable=()):
    """How an untrusted program runs: as a slot user of its own, in a fresh
    in-memory working directory of ``scratch_bytes`` at the caller's
    current directory, where of the job's files only ``files`` appear,
    read-only; ``writable``: files or directories bound writable (made
    for the program's slot by the caller)."""
    return Isolation(root=root, readonly=tuple(os.path.abspath(f) for f in files),
                     writable=tuple(os.path.abspath(w) for w in writable),
                     scratch_bytes=scratch_bytes)


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


def verdict(result, mode, isolated=True):
    """``(result_code, result_string)`` of a finished run of a program of
    ``mode`` (an :class:`~sio.executors.modes.ExecMode`)."""
    failure = result.failure
    if failure not in (process_limits.OUTPUT_LIMIT, process_limits.TIME_LIMIT) \
            and mode.out_of_memory(result):
        failure = process_limits.MEMORY_LIMIT
    if failure is None:
        return defaults.OK, 'ok'
    return RESULT_CODES[failure], describe(result, failure, isolated)


def describe(result, failure=None, isolated=True):
    """The original's ``result_string`` of a failed run."""
    failure = failure or result.failure
    if failure == process_limits.TIME_LIMIT and result.wall_limit_exceeded:
        return REAL_TIME_LIMIT_STRING
    text = (RESULT_STRINGS if isolated else UNPROTECTED_RESULT_STRINGS)[failure]
    if failure == process_limits.KILLED:
        return text % result.signal
    if failure == process_limits.EXIT_CODE:
        return text % result.exit_code
    return text
