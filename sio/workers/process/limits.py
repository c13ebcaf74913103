"""What a run is given and what it gives back: :class:`Limits`,
:class:`Isolation`, :class:`ProgramResult`, and why a run failed.

Every job that runs a program judges its :class:`ProgramResult` through
:attr:`ProgramResult.failure` and :meth:`ProgramResult.describe_failure`,
defined once here, and maps the failure to its own result codes.
"""

import signal

#: The most processes and threads an isolated program may have at once
#: (``RLIMIT_NPROC`` of its slot user) unless its limits allow fewer.
MAX_TASKS = 256

#: ``PATH`` of a program started with the default environment.
DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin'

#: Why a run failed (:attr:`ProgramResult.failure`).
OUTPUT_LIMIT = 'output limit'
TIME_LIMIT = 'time limit'
MEMORY_LIMIT = 'memory limit'
#: Killed by the seccomp filter (``SIGSYS``): it created a process or made a
#: call outside the rules.
FORBIDDEN_CALL = 'forbidden call'
KILLED = 'killed'
EXIT_CODE = 'exit code'


class Limits:
    """Resource limits of one run; ``None`` means no limit."""

    __slots__ = ('cpu_ms', 'wall_ms', 'memory_kib', 'output_bytes',
                 'file_size_bytes', 'processes')

    def __init__(self, **limits):
        for name in self.__slots__:
            setattr(self, name, limits.pop(name, None))
        if limits:
            raise TypeError('unknown limits: %s' % ', '.join(sorted(limits)))

    def __repr__(self):
        return 'Limits(%s)' % ', '.join(
            '%s=%r' % (k, getattr(self, k)) for k in self.__slots__
            if getattr(self, k) is not None)

    def effective_file_size(self):
        """``RLIMIT_FSIZE`` for these limits (bytes), or ``None``."""
        file_size = self.file_size_bytes
        if self.output_bytes is not None:
            # One byte more than allowed, so that going over is visible.
            over = self.output_bytes + 1
            file_size = over if file_size is None else min(file_size, over)
        return file_size


class Isolation:
    """How to isolate a program with bubblewrap (see the module docstring).

    ``root``: a directory used as the root file system instead of the
    host's system directories; ``writable``: directories bound writable at
    the same path (the program's working directory too, unless
    ``scratch_bytes``); ``readonly``: extra host paths bound read-only at
    the same path; ``network``: keep the host's network; ``chdir``: the
    working directory inside the sandbox (default: the program's ``cwd``).

    ``scratch_bytes``: the working directory is a fresh tmpfs of at most
    this many bytes (and one file per 4 KiB) instead of the caller's
    ``cwd``, which stays out of sight; files of ``readonly`` below ``cwd``
    appear in it, read-only.

    ``workdir``: a directory the caller made for the program's slot
    (see :func:`sio.workers.process.scratch_workdir`), bound as its working
    directory instead of ``cwd``, like ``scratch_bytes``, but left to the
    caller after the run, to take what the program made.

    ``slot``: the host user the program runs as: a held
    :class:`~sio.workers.process.slots.Slot` (when the caller prepares
    files owned by its user), or ``True`` (the default) for one taken for
    this run alone.
    """

    __slots__ = ('root', 'writable', 'readonly', 'network', 'chdir', 'scratch_bytes',
                 'workdir', 'slot')

    def __init__(self, root=None, writable=(), readonly=(), network=False, chdir=None,
                 scratch_bytes=None, workdir=None, slot=True):
        self.root = root
        self.writable = tuple(writable)
        self.readonly = tuple(readonly)
        self.network = network
        self.chdir = chdir
        self.scratch_bytes = scratch_bytes
        self.workdir = workdir
        self.slot = slot


class ProgramResult:
    """What a finished run measured."""

    __slots__ = ('exit_code', 'signal', 'cpu_ms', 'wall_ms', 'mem_kib', 'ended_ns',
                 'cpu_limit_exceeded', 'wall_limit_exceeded',
                 'memory_limit_exceeded', 'output_limit_exceeded', 'seccomp_violation')

    def __init__(self, **fields):
        for name in self.__slots__:
            setattr(self, name, fields.get(name, False if name.endswith(
                ('exceeded', 'violation')) else None))

    @property
    def ok(self):
        return self.exit_code == 0 and not self.limit_exceeded

    @property
    def limit_exceeded(self):
        return (self.cpu_limit_exceeded or self.wall_limit_exceeded
                or self.memory_limit_exceeded or self.output_limit_exceeded)

    @property
    def failure(self):
        """Why the run failed, or ``None`` (exit code 0 within its limits):
        :data:`OUTPUT_LIMIT`, :data:`TIME_LIMIT` (CPU or wall clock),
        :data:`MEMORY_LIMIT`, :data:`FORBIDDEN_CALL`, :data:`KILLED` (by
        another signal) or :data:`EXIT_CODE`, the first that holds.

        Output comes first: a program that handles or ignores ``SIGXFSZ``
        may spin on failing writes until its time is up.
        """
        if self.output_limit_exceeded:
            return OUTPUT_LIMIT
        if self.cpu_limit_exceeded or self.wall_limit_exceeded:
            return TIME_LIMIT
        if self.memory_limit_exceeded:
            return MEMORY_LIMIT
        if self.signal == signal.SIGSYS:
            return FORBIDDEN_CALL
        if self.signal is not None:
            return KILLED
        if self.exit_code != 0:
            return EXIT_CODE
        return None

    def describe_failure(self):
        """:attr:`failure` in words: ``time limit exceeded``, ``killed by
        signal 11 (SIGSEGV)``...; ``ok`` when the run did not fail."""
        failure = self.failure
        if failure is None:
            return 'ok'
        if failure == FORBIDDEN_CALL:
            return ('forbidden system call (creating a process or a call outside the '
                    'rules): %s' % self.describe_exit())
        if failure in (KILLED, EXIT_CODE):
            return self.describe_exit()
        return '%s exceeded' % failure

    def describe_exit(self):
        """``exited with code N`` or ``killed by signal N (SIGNAME)``."""
        if self.signal is not None:
            try:
                name = signal.Signals(self.signal).name
            except ValueError:
                name = 'unknown signal'
            return 'killed by signal %d (%s)' % (self.signal, name)
        return 'exited with code %s' % self.exit_code

    def __repr__(self):
        return 'ProgramResult(%s)' % ', '.join(
            '%s=%r' % (k, getattr(self, k)) for k in self.__slots__)
