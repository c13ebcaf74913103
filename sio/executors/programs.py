"""What the executors share about a program's run: its ``exec_*`` limits
and the verdict of a finished run.

Used by every job that runs a contestant's or a problem setter's program
(``exec``, ``ingen``, ``inwer``, ``interactive-exec``); how each
``exec_info`` mode is started is in :mod:`sio.executors.modes`.
"""

from sio.executors import defaults
from sio.workers.keys import limit
from sio.workers.process import Limits, limits as process_limits

#: The result code of each way a run fails (see ``ProgramResult.failure``).
RESULT_CODES = {
    process_limits.OUTPUT_LIMIT: defaults.OUTPUT_LIMIT_EXCEEDED,
    process_limits.TIME_LIMIT: defaults.TIME_LIMIT_EXCEEDED,
    process_limits.MEMORY_LIMIT: defaults.MEMORY_LIMIT_EXCEEDED,
    process_limits.FORBIDDEN_CALL: defaults.RULE_VIOLATION,
    process_limits.KILLED: defaults.RUNTIME_ERROR,
    process_limits.EXIT_CODE: defaults.RUNTIME_ERROR,
}


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


def verdict(result, mode):
    """``(result_code, result_string)`` of a finished run of a program of
    ``mode`` (an :class:`~sio.executors.modes.ExecMode`)."""
    failure = result.failure
    if failure not in (process_limits.OUTPUT_LIMIT, process_limits.TIME_LIMIT) \
            and mode.out_of_memory(result):
        return defaults.MEMORY_LIMIT_EXCEEDED, 'memory limit exceeded'
    if failure is None:
        return defaults.OK, 'ok'
    return RESULT_CODES[failure], result.describe_failure()
