"""Waiting for started programs while watching them.

:meth:`RunningProgram.wait` blocks until its program ends; the jobs here
need more: to stop a generator whose files grow past a limit while it
runs, and to know which of two programs talking to each other ended first.
Both wait on Linux process file descriptors (``pidfd``), in slices, and
leave the limits to :meth:`RunningProgram.wait`, which is always called.
"""

import os
import time

from sio.workers.process import first_ended

#: How often (seconds) a watched program is checked.
WATCH_INTERVAL = 0.1


def _deadline(program):
    """When ``program`` is past its wall-clock limit or the job's time
    (the moment its own ``wait()`` would kill it)."""
    return program.wall_deadline()


def _open_pidfd(program):
    try:
        return program.open_pidfd()
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
        ended = first_ended(list(fds), min(deadlines) if deadlines else None,
                            WATCH_INTERVAL)
        return None if ended is None else fds[ended]
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
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            watch_until = now + WATCH_INTERVAL
            if deadline is not None:
                watch_until = min(watch_until, deadline)
            if first_ended([fd], watch_until) is not None:
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
