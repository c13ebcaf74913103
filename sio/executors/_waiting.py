"""Waiting for started programs while watching them.

:meth:`RunningProgram.wait` blocks until its program ends; the jobs here
need more: to stop a generator whose files grow past a limit while it
runs, and to know which of two programs talking to each other ended first.
Both wait on Linux process file descriptors (``pidfd``), in slices, and
leave the limits to :meth:`RunningProgram.wait`, which is always called.
"""

import os
import select
import time

#: How often (seconds) a watched program is checked.
WATCH_INTERVAL = 0.1


def _deadline(program):
    """When ``program`` is past its wall-clock limit or the job's time
    (the moment its own ``wait()`` would kill it)."""
    return program.wall_deadline()


def _open_pidfd(program):
    try:
        return os.pidfd_open(program.pid)
    except (AttributeError, OSError):
        return None


def first_to_end(programs):
    """The program (of ``programs``) that ended first, or ``None`` when
    none ended before the earliest of their deadlines or the order cannot
    be told.  Nothing is reaped: call each program's ``wait()`` afterwards."""
    fds = {}
    try:
        for program in programs:
            fd = _open_pidfd(program)
            if fd is None:
                return None
            fds[fd] = program
        deadlines = [d for d in map(_deadline, programs) if d is not None]
        deadline = min(deadlines) if deadlines else None
        poller = select.poll()
        for fd in fds:
            poller.register(fd, select.POLLIN)
        while True:
            timeout = WATCH_INTERVAL
            if deadline is not None:
                timeout = min(timeout, deadline - time.monotonic())
                if timeout <= 0:
                    return None
            ready = poller.poll(timeout * 1000.0)
            if ready:
                return fds[ready[0][0]]
    finally:
        for fd in fds:
            os.close(fd)


def wait_watching(program, check):
    """``program.wait()``, calling ``check()`` every :data:`WATCH_INTERVAL`
    while it runs; when ``check`` returns a reason (a string), the program
    is killed.  Returns (result, reason or ``None``)."""
    reason = None
    fd = _open_pidfd(program)
    try:
        deadline = _deadline(program)
        while fd is not None and reason is None:
            timeout = WATCH_INTERVAL
            if deadline is not None:
                timeout = min(timeout, deadline - time.monotonic())
                if timeout <= 0:
                    break
            if select.select([fd], [], [], timeout)[0]:
                break
            reason = check()
        if reason is not None:
            program.kill()
    except BaseException:
        program.kill()
        program.wait()
        raise
    finally:
        if fd is not None:
            os.close(fd)
    result = program.wait()
    return result, reason or check()
