"""Result codes and default limits of every executor, defined once."""

OK = 'OK'
WRONG_ANSWER = 'WA'
TIME_LIMIT_EXCEEDED = 'TLE'
MEMORY_LIMIT_EXCEEDED = 'MLE'
OUTPUT_LIMIT_EXCEEDED = 'OLE'
RUNTIME_ERROR = 'RE'
RULE_VIOLATION = 'RV'

#: Defaults of the exec keys (ms, KiB, bytes).
EXEC_TIME_LIMIT = 10000
EXEC_MEM_LIMIT = 66000
EXEC_OUT_LIMIT = 52428800
#: The smallest default of ``exec_dir_size_limit`` (bytes), which is
#: otherwise ``exec_out_limit``: the program may write as much into files
#: as to its output.
EXEC_DIR_SIZE_FLOOR = 1 << 20


def real_time_limit(cpu_ms):
    """Default wall-clock limit: room for a loaded machine and for start-up."""
    return 3 * cpu_ms + 1000


#: Limits of a custom checker (it is judged as broken past them), those of
#: the original sioworkers; ``checker_time_limit`` and ``checker_mem_limit``
#: override them.  A checker printing more than CHECKER_OUT_LIMIT bytes is broken.
CHECKER_TIME_LIMIT = 30000
CHECKER_MEM_LIMIT = 262144
CHECKER_OUT_LIMIT = 10240
#: Bytes a checker, interactor or verifier may keep in files in its
#: working directory (an in-memory directory of its own).
SCRATCH_DIR_LIMIT = 16 << 20

#: Defaults of the ingen keys (ms, KiB, bytes).
INGEN_TIME_LIMIT = 600000
INGEN_MEM_LIMIT = 262144
INGEN_OUTPUT_LIMIT = 10240
INGEN_FILES_SIZE_LIMIT = 1 << 30

#: Defaults of the inwer keys (ms, KiB, bytes).
INWER_TIME_LIMIT = 300000
INWER_MEM_LIMIT = 262144
INWER_OUTPUT_LIMIT = 10240
#: How much of the verifier's output is stored at all (the rest is lost).
INWER_STORED_OUTPUT_LIMIT = 1 << 20

#: Default memory limit of an interactor (KiB).
INTERACTOR_MEM_LIMIT = 262144
#: An interactor's default CPU limit, as a multiple of ``exec_time_limit``.
INTERACTOR_TIME_FACTOR = 2
#: The most copies of a program an interactive job runs (``num_processes``).
MAX_PROCESSES = 64
