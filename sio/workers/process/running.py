"""A program running under the supervisor, seen from Python.

The supervisor (:mod:`sio.workers.process.supervisor`) is started with two pipes:
it writes its one-line report to the *result* pipe, and it stops the
program when the *control* pipe is closed -- by :meth:`RunningProgram.kill`,
or by the kernel when this process dies.  The limits are the supervisor's,
the wall-clock limit too (counted from the program's own start, so a
sandbox's start-up is not in it); waiting, ``job_timeout``, and a last
stop :data:`WALL_SLACK` after the wall-clock limit stay here.
"""

import os
import select
import signal
import subprocess
import time

from sio.workers import timeouts
from sio.workers.exceptions import Failure
from sio.workers.process import supervisor
from sio.workers.process.limits import ProgramResult

#: How often (seconds) a waiting thread wakes up, so that exceptions sent
#: to it (``job_timeout`` in a non-main thread) are delivered.
_WAIT_SLICE = 0.25
#: Seconds the supervisor gets to kill its program and report, once asked
#: to stop, before it is killed itself.
STOP_GRACE = 5.0
#: Seconds past its wall-clock limit after which a run is stopped from here
#: (a sandbox that never started the program); the supervisor stops it at
#: the limit itself.
WALL_SLACK = 1.0
_FAILED_STAGES = {'exec': 'cannot start %r: %s',
                  'rlimit': 'cannot set the resource limits of %r: %s',
                  'user': 'cannot switch %r to its slot user: %s',
                  'seccomp': 'cannot load the seccomp filter of %r: %s',
                  'start': 'cannot create a process for %r: %s'}


class Channel:
    """The two pipes between this process and one supervisor."""

    def __init__(self):
        self.result_read, self.result_write = os.pipe()
        self.control_read, self.control_write = os.pipe()

    def child_fds(self):
        """The ends the supervisor keeps; closed here once it started."""
        return self.result_write, self.control_read

    def started(self):
        for name in ('result_write', 'control_read'):
            self._close(name)

    def stop(self):
        """Asks the supervisor to kill its program and report."""
        self._close('control_write')

    def finish(self):
        """The supervisor's :class:`~sio.workers.process.supervisor.Report` (it has
        ended), or ``None``; closes every pipe."""
        report = None
        if self.result_read is not None:
            report = supervisor.read_report(self.result_read)
        for name in ('result_read', 'result_write', 'control_read', 'control_write'):
            self._close(name)
        return report

    def _close(self, name):
        fd = getattr(self, name)
        if fd is not None:
            setattr(self, name, None)
            os.close(fd)


def spawn(command, cwd, streams, env, channel, pass_fds=()):
    """Starts ``command`` (the supervisor, or bubblewrap running it) in a
    session of its own; the Popen object."""
    try:
        popen = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=streams[0], stdout=streams[1],
            stderr=streams[2], start_new_session=True,
            pass_fds=tuple(channel.child_fds()) + tuple(pass_fds))
    except OSError as e:
        channel.finish()
        raise Failure('cannot start %r: %s' % (command[0], e.strerror or e))
    channel.started()
    return popen


def start(argv, limits, cwd, streams, env, pass_fds=()):
    """``argv`` (its program resolved) run by the supervisor, unprotected:
    by this process's resident supervisor (:mod:`._resident`) when it can."""
    channel = Channel()
    try:
        command = supervisor.command(limits, channel.result_write, channel.control_read)
        process = _start_resident(command + argv, cwd, streams, env, channel, pass_fds)
    except BaseException:
        channel.finish()
        raise
    if process is None:
        process = spawn(command + argv, cwd, streams, env, channel, pass_fds)
    else:
        channel.started()
    return RunningProgram(process, limits, time.monotonic(), streams[1], channel, argv[0])


def _start_resident(command, cwd, streams, env, channel, pass_fds):
    """A :class:`._resident.Run` of ``command``, or ``None``."""
    from sio.workers.process import _resident

    stdin, stdout, stderr = streams
    devnull = None
    if subprocess.DEVNULL in streams:
        devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
    try:
        stdin, stdout = [devnull if s == subprocess.DEVNULL else s for s in (stdin, stdout)]
        stderr = {subprocess.DEVNULL: devnull, subprocess.STDOUT: stdout}.get(stderr, stderr)
        fds = [(channel.result_write, channel.result_write),
               (channel.control_read, channel.control_read),
               (stdin, 0), (stdout, 1), (stderr, 2)] + [(fd, fd) for fd in pass_fds]
        return _resident.start(command[0], command, cwd, env, fds)
    except OSError as e:
        raise Failure('cannot start %r: %s' % (command[0], e.strerror or e))
    finally:
        if devnull is not None:
            os.close(devnull)


def first_ended(pidfds, deadline, interval=_WAIT_SLICE):
    """The first of ``pidfds`` (process file descriptors) whose process
    ended, or ``None`` once ``deadline`` (monotonic, or ``None``) passed.

    It wakes up every ``interval`` seconds, so that an exception sent to
    this thread (``job_timeout`` outside the main thread) gets through.
    """
    poller = select.poll()
    for fd in pidfds:
        poller.register(fd, select.POLLIN)
    while True:
        timeout = interval
        if deadline is not None:
            timeout = min(timeout, deadline - time.monotonic())
            if timeout <= 0:
                return None
        ready = poller.poll(timeout * 1000.0)
        if ready:
            return ready[0][0]


class RunningProgram:
    """A started program; :meth:`wait` for its :class:`ProgramResult`."""

    def __init__(self, process, limits, started, stdout, channel, program_name,
                 starter='the program supervisor'):
        #: The Popen of the supervisor (or of bubblewrap around it), or the
        #: :class:`._resident.Run` of a resident supervisor.
        self.popen = process
        #: The PID of the process whose end means the program's end.
        self.pid = process.pid
        #: A run of a resident supervisor, not a child of this process, comes
        #: with a process descriptor and is reaped by its supervisor.
        self._pidfd = getattr(process, 'pidfd', None)
        self.limits = limits
        self.started = started
        self._channel = channel
        self._program = program_name
        self._starter = starter
        self._stdout_size_fd = None
        if limits.output_bytes is not None and isinstance(stdout, int) and stdout >= 0:
            # Duplicate it: the caller may close its descriptor before wait().
            self._stdout_size_fd = os.dup(stdout)
        self._output_size_exceeded = False
        self._stop_deadline = None
        self._failure = None
        self.result = None
        #: Called once the program and everything it started are gone (an
        #: isolated run's clean-up: its working directory, its slot).
        self.after_run = None

    def kill(self):
        """Kills the whole process tree now (wait() still reports on it)."""
        if self.result is None and self._stop_deadline is None:
            self._stop_deadline = time.monotonic() + STOP_GRACE
            self._channel.stop()

    def wait(self):
        """Waits for the program, enforcing ``wall_ms``; the result."""
        if self.result is not None:
            return self.result
        if self._failure is not None:
            raise self._failure
        wall_exceeded = False
        status = reaped = None
        try:
            if not self._wait_until(self.wall_deadline()):
                wall_exceeded = timeouts.time_left() != 0
                self.kill()
            status = self._reap()
            reaped = True
        finally:
            if not reaped:  # interrupted: leave nothing behind
                self.kill()
                self._reap()
            if self._pidfd is not None:
                os.close(self._pidfd)
                self._pidfd = None
            report = self._channel.finish()
            self._close_stdout_size()
            if self.after_run is not None:
                after_run, self.after_run = self.after_run, None
                after_run()
        try:
            self.result = self._result(report, status, wall_exceeded)
        except Failure as e:
            self._failure = e
            raise
        return self.result

    def _reap(self):
        """The exit status of the supervisor, which was asked to stop or
        ended; killed when it does not stop in time."""
        if self._stop_deadline is not None and not self._wait_until(self._stop_deadline):
            if self._pidfd is not None:  # not a child: its PID may be another's
                try:
                    signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
                except OSError:
                    pass
            for kill in (() if self._pidfd is not None else (os.kill, os.killpg)):
                try:
                    kill(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if self._pidfd is not None:  # its resident supervisor reaps it
            self._wait_until(None)
            return None
        while True:
            try:
                _, status = os.waitpid(self.pid, 0)
            except InterruptedError:
                continue
            except ChildProcessError:
                status = None
            self.popen.returncode = -1  # tells Popen not to wait for it again
            return status

    def wall_deadline(self):
        deadline = None
        if self.limits.wall_ms is not None:
            deadline = self.started + self.limits.wall_ms / 1000.0 + WALL_SLACK
        job_left = timeouts.time_left()
        if job_left is not None:
            job_deadline = time.monotonic() + job_left
            deadline = job_deadline if deadline is None else min(deadline, job_deadline)
        return deadline

    def open_pidfd(self):
        """A new descriptor, readable once the program ended (the caller
        closes it): a process descriptor of the process whose end means the
        program's end, or for a run of the resident supervisor the read end
        of its result pipe (see :meth:`_wait_until`); :class:`OSError` if
        none."""
        if self._pidfd is not None:
            return os.dup(self._channel.result_read)
        return os.pidfd_open(self.pid)

    def _wait_until(self, deadline):
        """True when the process ended before ``deadline`` (monotonic).

        A run of the resident supervisor has ended once its report is in
        the result pipe (or the pipe is closed: it died): the program and
        all it left are gone by then, and only the supervisor's own exit,
        tens of microseconds, is not waited for."""
        if self._pidfd is not None:
            return first_ended([self._channel.result_read], deadline) is not None
        try:
            pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            return self._poll_until(deadline)
        try:
            return first_ended([pidfd], deadline) is not None
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

    def _result(self, report, status, wall_exceeded):
        self._check_report(report, status)
        if report.wall_us is not None:  # the program's own, without its start-up
            wall_ms = (report.wall_us + 500) // 1000
        else:
            wall_ms = int((time.monotonic() - self.started) * 1000)
        limits = self.limits
        cpu_exceeded = limits.cpu_ms is not None and (
            report.cpu_killed or report.cpu_us > limits.cpu_ms * 1000)
        wall_exceeded = wall_exceeded or report.wall_killed
        result = ProgramResult(
            exit_code=report.exit_code, signal=report.signal,
            cpu_ms=(report.cpu_us + 500) // 1000, wall_ms=wall_ms,
            mem_kib=report.peak_kib, ended_ns=report.ended_ns,
            cpu_limit_exceeded=cpu_exceeded,
            wall_limit_exceeded=wall_exceeded and not cpu_exceeded)
        result.output_limit_exceeded = self._output_size_exceeded
        result.memory_limit_exceeded = self._memory_exceeded(result, report)
        return result

    def _check_report(self, report, status):
        if report is None:
            if status is not None and os.WIFEXITED(status):
                how = 'exit status %d' % os.WEXITSTATUS(status)
            elif status is not None and os.WIFSIGNALED(status):
                how = 'killed by signal %d' % os.WTERMSIG(status)
            else:
                how = 'not reaped'
            raise Failure('%s of %r ended without reporting on it (%s)'
                          % (self._starter, self._program, how))
        if report.failed is not None:
            template = _FAILED_STAGES.get(report.failed, 'cannot start %r: %s')
            raise Failure(template % (self._program, os.strerror(report.errno or 0)))

    def _close_stdout_size(self):
        """Notes whether the output passed its limit; closes the duplicate."""
        self._output_size_exceeded = False
        if self._stdout_size_fd is None:
            return
        try:
            size = os.fstat(self._stdout_size_fd).st_size
        finally:
            os.close(self._stdout_size_fd)
            self._stdout_size_fd = None
        self._output_size_exceeded = size > self.limits.output_bytes

    def _memory_exceeded(self, result, report):
        """The supervisor saw the program try to use more than its limit
        (see ``supervisor_memory.c``), or it held more."""
        limit = self.limits.memory_kib
        if limit is None or result.cpu_limit_exceeded or result.wall_limit_exceeded:
            return False
        return report.memory_exceeded or result.mem_kib > limit
