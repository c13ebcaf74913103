"""Running a program under limits: the one mechanism behind every job that
runs anything (executors, checkers, compilers, ``execute()``).

Two ways to run:

* *unprotected* (``isolation=None``): resource limits only, for trusted
  programs.  The program runs in its own process group, which is killed
  when it ends, so children it left behind die with it.
* *isolated* (an :class:`Isolation`): the same limits inside bubblewrap --
  its own user, PID, IPC, UTS and network namespaces, system directories
  read-only, only the chosen directories writable, no view of the caller's
  files, and it dies with its parent.  Without bubblewrap this raises
  :class:`~sio.workers.exceptions.Failure`; it never runs unprotected
  instead.

Usage is measured from the kernel's own accounting (``wait4`` rusage):
CPU time (user + system), peak resident memory, the exit status.

How limits are enforced:

``cpu_ms``
    ``RLIMIT_CPU`` (whole seconds, rounded up, so the kernel stops a
    spinning program) and the measured CPU time compared with the limit.
``wall_ms``
    the waiting parent kills the program when it passes; also capped by
    the job's ``job_timeout``.
``memory_kib``
    ``RLIMIT_AS`` (address space).  The program sees failing allocations;
    it is judged over the limit when its peak memory passed the limit, or
    when it failed while within :data:`MEMORY_MARGIN` of it.
``output_bytes``
    ``RLIMIT_FSIZE`` on a standard output that is a file, and the file's
    size compared with the limit.
``file_size_bytes``, ``processes``
    ``RLIMIT_FSIZE``, ``RLIMIT_NPROC``.  The kernel does not apply
    ``RLIMIT_NPROC`` to root; isolated programs are additionally confined
    by :mod:`sio.workers._seccomp` when ``processes`` is 1.

In unprotected mode the limits are set on the program right after it
started (a fork of this process with limits set in between would cost
more than running the program itself); the measured usage is compared with
the limits afterwards, so a program that outran the limits in its first
microseconds is still judged over them.
"""

import os
import select
import signal
import subprocess
import time

from sio.workers import timeouts
from sio.workers.exceptions import Failure

#: A failed program whose peak memory came this close (as a fraction of the
#: limit) to ``memory_kib`` is judged as having run out of memory.
MEMORY_MARGIN = 0.1
#: How often (seconds) a waiting thread wakes up, so that exceptions sent
#: to it (``job_timeout`` in a non-main thread) are delivered.
_WAIT_SLICE = 0.25

DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin'


class Limits:
    """Resource limits of one run; ``None`` means no limit."""

    __slots__ = ('cpu_ms', 'wall_ms', 'memory_kib', 'output_bytes',
                 'file_size_bytes', 'processes')

    def __init__(self, cpu_ms=None, wall_ms=None, memory_kib=None, output_bytes=None,
                 file_size_bytes=None, processes=None):
        self.cpu_ms = cpu_ms
        self.wall_ms = wall_ms
        self.memory_kib = memory_kib
        self.output_bytes = output_bytes
        self.file_size_bytes = file_size_bytes
        self.processes = processes

    def __repr__(self):
        return 'Limits(%s)' % ', '.join(
            '%s=%r' % (k, getattr(self, k)) for k in self.__slots__
            if getattr(self, k) is not None)

    def rlimits(self):
        """``[(resource, (soft, hard))]`` setting these limits on a process."""
        import resource

        result = [(resource.RLIMIT_CORE, (0, 0))]
        if self.cpu_ms is not None:
            seconds = max(1, -(-self.cpu_ms // 1000))
            # Soft and hard equal: SIGKILL at once, which also stops an
            # isolated program (the init of its namespace ignores SIGXCPU).
            result.append((resource.RLIMIT_CPU, (seconds, seconds)))
        if self.memory_kib is not None:
            as_bytes = self.memory_kib * 1024
            result.append((resource.RLIMIT_AS, (as_bytes, as_bytes)))
        file_size = self.file_size_bytes
        if self.output_bytes is not None:
            # One byte more than allowed, so that going over is visible.
            over = self.output_bytes + 1
            file_size = over if file_size is None else min(file_size, over)
        if file_size is not None:
            result.append((resource.RLIMIT_FSIZE, (file_size, file_size)))
        if self.processes is not None:
            result.append((resource.RLIMIT_NPROC, (self.processes, self.processes)))
        return result


class Isolation:
    """How to isolate a program with bubblewrap (see the module docstring).

    ``root``: a directory used as the root file system instead of the
    host's system directories; ``writable``: directories bound writable at
    the same path (the program's working directory always is);
    ``readonly``: extra host paths bound read-only at the same path;
    ``network``: keep the host's network; ``chdir``: the working directory
    inside the sandbox (default: the program's ``cwd``).
    """

    __slots__ = ('root', 'writable', 'readonly', 'network', 'chdir')

    def __init__(self, root=None, writable=(), readonly=(), network=False, chdir=None):
        self.root = root
        self.writable = tuple(writable)
        self.readonly = tuple(readonly)
        self.network = network
        self.chdir = chdir


class ProgramResult:
    """What a finished run measured."""

    __slots__ = ('exit_code', 'signal', 'cpu_ms', 'wall_ms', 'mem_kib',
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


def _open_stream(value, for_reading):
    """(fd for the child, fd to close after start) for a stdin/out/err value."""
    if value is None:
        return subprocess.DEVNULL, None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if isinstance(value, (str, bytes, os.PathLike)):
        try:
            if for_reading:
                fd = os.open(value, os.O_RDONLY | os.O_CLOEXEC)
            else:
                fd = os.open(value, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC,
                             0o644)
        except OSError as e:
            raise Failure('cannot open %r for the program\'s %s: %s' % (
                value, 'input' if for_reading else 'output', e.strerror))
        return fd, fd
    raise TypeError('a stream must be None, a path or a file descriptor, not %r'
                    % (value,))


def inherited_peak_kib():
    """Lowers this process's recorded peak memory to its present size, and
    returns that size (KiB).

    A program started from this process begins with this process's peak
    memory as its own (the kernel keeps the larger across ``exec``), so
    below this figure its measured peak says nothing about its limit.
    Lowering it first keeps that blind spot as small as it can be.
    """
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')  # reset the peak resident set size
        with open('/proc/self/statm', 'rb') as f:
            resident_pages = int(f.read().split()[1])
        return resident_pages * (os.sysconf('SC_PAGE_SIZE') // 1024)
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _default_env(cwd):
    return {'PATH': DEFAULT_PATH, 'LANG': 'C.UTF-8', 'HOME': cwd}


def start_program(argv, *, limits=None, cwd=None, stdin=None, stdout=None, stderr=None,
                  env=None, isolation=None):
    """Starts ``argv`` under ``limits``; returns a :class:`RunningProgram`.

    ``stdin``/``stdout``/``stderr``: ``None`` (``/dev/null``, discarded),
    a path (read / created and truncated), or a file descriptor; ``stderr``
    may also be ``'stdout'``.  ``env`` defaults to a minimal environment
    (``PATH``, ``LANG=C.UTF-8``, ``HOME`` = ``cwd``).  ``isolation``: an
    :class:`Isolation` to run inside bubblewrap, or ``None``.
    """
    if isinstance(argv, str) or not argv or not all(
            isinstance(a, (str, bytes, os.PathLike)) for a in argv):
        raise TypeError('argv must be a non-empty list of strings, not %r' % (argv,))
    argv = [os.fspath(a) for a in argv]
    limits = limits or Limits()
    cwd = os.path.abspath(cwd) if cwd is not None else os.getcwd()
    env = dict(env) if env is not None else _default_env(cwd)
    to_close = []
    try:
        streams = []
        for value, reading in ((stdin, True), (stdout, False)):
            fd, own = _open_stream(value, reading)
            streams.append(fd)
            if own is not None:
                to_close.append(own)
        if stderr == 'stdout':
            streams.append(subprocess.STDOUT)
        else:
            fd, own = _open_stream(stderr, False)
            streams.append(fd)
            if own is not None:
                to_close.append(own)
        if isolation is not None:
            from sio.workers import _bwrap

            return _bwrap.start(argv, limits, cwd, streams, env, isolation, to_close)
        return _start_unprotected(argv, limits, cwd, streams, env)
    finally:
        for fd in to_close:
            os.close(fd)


def _resolve(argv0, env, cwd):
    if '/' in argv0:
        return argv0
    import shutil

    found = shutil.which(argv0, path=env.get('PATH', DEFAULT_PATH))
    if found is None:
        raise Failure('program %r not found in PATH %r' % (argv0, env.get('PATH')))
    return found


def _spawn(argv, cwd, streams, env, pass_fds=()):
    """Starts a process in its own process group; the Popen object."""
    try:
        return subprocess.Popen(
            argv, executable=_resolve(argv[0], env, cwd), cwd=cwd, env=env,
            stdin=streams[0], stdout=streams[1], stderr=streams[2],
            start_new_session=True, pass_fds=pass_fds)
    except OSError as e:
        raise Failure('cannot start %r: %s' % (argv[0], e.strerror or e))


def _start_unprotected(argv, limits, cwd, streams, env):
    import resource

    inherited_kib = inherited_peak_kib()
    popen = _spawn(argv, cwd, streams, env)
    started = time.monotonic()
    try:
        for which, values in limits.rlimits():
            resource.prlimit(popen.pid, which, values)
    except ProcessLookupError:
        pass  # already gone: nothing left to limit
    except BaseException:
        _kill_group(popen.pid)
        _reap(popen)
        raise
    return RunningProgram(popen, limits, started, streams[1],
                          inherited_kib=inherited_kib)


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _reap(popen):
    """Blocking wait4 of an already killed (or finished) process."""
    while True:
        try:
            _, status, rusage = os.wait4(popen.pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:
            return None, None
        popen.returncode = -1  # tells Popen not to wait for it again
        return status, rusage


class RunningProgram:
    """A started program; :meth:`wait` for its :class:`ProgramResult`."""

    def __init__(self, popen, limits, started, stdout, sandbox=None,
                 exit_status_decoder=None, inherited_kib=0):
        self.popen = popen
        self.pid = popen.pid
        self.limits = limits
        self.started = started
        self._stdout = stdout
        self._stdout_size_fd = None
        if limits.output_bytes is not None and isinstance(stdout, int) and stdout >= 0:
            # Duplicate it: the caller may close its descriptor before wait().
            self._stdout_size_fd = os.dup(stdout)
        self._sandbox = sandbox
        self._decode_status = exit_status_decoder
        self._inherited_kib = inherited_kib
        self.result = None

    def kill(self):
        """Kills the whole process tree now (wait() still reports on it)."""
        if self.result is not None:
            return
        # Killing the sandbox's init takes its whole PID namespace down, and
        # bubblewrap outside ends only after that: once it is reaped, no
        # process of the program is left.
        sandbox_pid = self._sandbox.pid() if self._sandbox is not None else None
        if sandbox_pid is not None:
            try:
                os.kill(sandbox_pid, signal.SIGKILL)
                return
            except ProcessLookupError:
                pass
        _kill_group(self.pid)

    def wait(self):
        """Waits for the program, enforcing ``wall_ms``; the result."""
        if self.result is not None:
            return self.result
        wall_exceeded = False
        status = rusage = None
        try:
            finished = self._wait_until(self._wall_deadline())
            if not finished:
                wall_exceeded = timeouts.time_left() != 0
                self.kill()
            status, rusage = _reap(self.popen)
        finally:
            if status is None:  # interrupted: leave nothing behind
                self.kill()
                _reap(self.popen)
            _kill_group(self.pid)  # children it left behind
            if self._sandbox is not None:
                self._sandbox.close()
        self.result = self._result(status, rusage, wall_exceeded)
        return self.result

    def _wall_deadline(self):
        deadline = None
        if self.limits.wall_ms is not None:
            deadline = self.started + self.limits.wall_ms / 1000.0
        job_left = timeouts.time_left()
        if job_left is not None:
            job_deadline = time.monotonic() + job_left
            deadline = job_deadline if deadline is None else min(deadline, job_deadline)
        return deadline

    def _wait_until(self, deadline):
        """True when the process ended before ``deadline`` (monotonic)."""
        try:
            pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            return self._poll_until(deadline)
        try:
            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            while True:
                timeout = _WAIT_SLICE
                if deadline is not None:
                    timeout = min(timeout, deadline - time.monotonic())
                    if timeout <= 0:
                        return False
                if poller.poll(timeout * 1000.0):
                    return True
        finally:
            os.close(pidfd)

    def _poll_until(self, deadline):
        pause = 0.0005
        while True:
            try:
                ended = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return True
            if ended is not None:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.05)

    def _result(self, status, rusage, wall_exceeded):
        wall_ms = int((time.monotonic() - self.started) * 1000)
        exit_code = signum = None
        if status is not None:
            if os.WIFSIGNALED(status):
                signum = os.WTERMSIG(status)
            else:
                exit_code = os.WEXITSTATUS(status)
            if self._decode_status is not None:
                exit_code, signum = self._decode_status(exit_code, signum)
        cpu_ms = mem_kib = 0
        if rusage is not None:
            cpu_ms = int(round((rusage.ru_utime + rusage.ru_stime) * 1000))
            mem_kib = rusage.ru_maxrss
        limits = self.limits
        cpu_exceeded = limits.cpu_ms is not None and (
            cpu_ms > limits.cpu_ms or signum == signal.SIGXCPU)
        result = ProgramResult(
            exit_code=exit_code, signal=signum, cpu_ms=cpu_ms, wall_ms=wall_ms,
            mem_kib=mem_kib, cpu_limit_exceeded=cpu_exceeded,
            wall_limit_exceeded=wall_exceeded and not cpu_exceeded)
        result.output_limit_exceeded = self._output_exceeded()
        result.memory_limit_exceeded = self._memory_exceeded(result)
        return result

    def _output_exceeded(self):
        if self._stdout_size_fd is None:
            return False
        try:
            size = os.fstat(self._stdout_size_fd).st_size
        finally:
            os.close(self._stdout_size_fd)
            self._stdout_size_fd = None
        return size > self.limits.output_bytes

    def _memory_exceeded(self, result):
        limit = self.limits.memory_kib
        if limit is None or result.cpu_limit_exceeded or result.wall_limit_exceeded:
            return False
        if result.mem_kib <= self._inherited_kib:
            return False
        if result.mem_kib > limit:
            return True
        failed = result.exit_code != 0
        return failed and result.mem_kib >= limit * (1 - MEMORY_MARGIN)


def run_program(argv, **kwargs):
    """``start_program(argv, **kwargs).wait()``."""
    return start_program(argv, **kwargs).wait()


__all__ = ['Isolation', 'Limits', 'ProgramResult', 'RunningProgram', 'run_program',
           'start_program']
