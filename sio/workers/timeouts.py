"""``job_timeout``: stopping a job that runs too long.

A job runs in the calling thread, so it is stopped by raising
:class:`~sio.workers.exceptions.JobTimeout` in that thread when its
deadline passes: in the main thread by ``SIGALRM`` (which also interrupts a
blocking system call), elsewhere by an asynchronous exception delivered the
next time the thread runs Python code.  Code that starts processes (see
:mod:`sio.workers.process`) cleans them up in ``finally`` blocks and also
caps its own waits with :func:`time_left`, so that no process outlives a
stopped job.

Deadlines nest: a job run from inside another job is bounded by both.
"""

import time

from sio.workers.exceptions import JobTimeout

# Deadlines (time.monotonic()) of the running jobs that have one.
_deadlines = []
_saved_handler = None
_timer = None


def time_left():
    """Seconds until the nearest job deadline, or ``None`` if there is none."""
    if not _deadlines:
        return None
    return max(0.0, min(_deadlines) - time.monotonic())


def _in_main_thread():
    import threading

    return threading.current_thread() is threading.main_thread()


def _on_alarm(signum, frame):
    raise JobTimeout()


def _arm():
    global _saved_handler, _timer
    if _timer is not None:
        _timer.cancel()
        _timer = None
    left = time_left()
    if _in_main_thread():
        import signal

        if left is None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            if _saved_handler is not None:
                signal.signal(signal.SIGALRM, _saved_handler)
                _saved_handler = None
            return
        if _saved_handler is None:
            _saved_handler = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.0001))
    elif left is not None:
        import threading

        _timer = threading.Timer(left, _raise_in, (threading.get_ident(),))
        _timer.daemon = True
        _timer.start()


def _raise_in(thread_id):
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(JobTimeout)
    )


class Deadline:
    """Context manager bounding the enclosed code to ``seconds``."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.at = None

    def __enter__(self):
        self.at = time.monotonic() + self.seconds
        _deadlines.append(self.at)
        _arm()
        return self

    def __exit__(self, *exc):
        _deadlines.remove(self.at)
        _arm()
        return False

    def expired(self):
        return self.at is not None and time.monotonic() >= self.at - 0.001


__all__ = ['Deadline', 'JobTimeout', 'time_left']
