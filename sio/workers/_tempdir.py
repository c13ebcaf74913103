"""The job's temporary directory: made fresh, removed whatever is inside.

:mod:`tempfile` costs more to import than ``sio-batch`` may spend starting
up, so the directory is made with ``os.mkdir`` (mode 0700, random name,
the same places ``tempfile`` looks first).  Whatever a job or its programs
left in it -- any depth, any file type, any mode -- is removed without
recursion and without following links
(:func:`sio.workers.untrusted.remove_tree`),
imported only when the directory holds a folder.

Between making the directory and entering the ``try`` that removes it, and
during the removal, an interruption (Ctrl-C, ``SIGTERM``, ``job_timeout``'s
alarm) would leave the directory behind: the runner holds those signals
back there with :func:`hold_signals`.  That imports the C module
``_signal`` directly, since ``signal.py`` would add an ``enum`` import to
every start-up.
"""

import os

try:
    from _signal import SIG_BLOCK, SIG_SETMASK, SIGALRM, SIGINT, SIGTERM
    from _signal import pthread_sigmask
except ImportError:  # pragma: no cover
    pthread_sigmask = None

PREFIX = 'sio-job-'


def base_dir():
    for var in ('TMPDIR', 'TEMP', 'TMP'):
        value = os.environ.get(var)
        if value and os.path.isdir(value):
            return value
    return '/tmp'


def make():
    base = base_dir()
    for _ in range(100):
        path = os.path.join(base, PREFIX + os.urandom(6).hex())
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
    raise FileExistsError('could not create a unique temporary directory in %s' % base)


def remove(path):
    if _remove_flat(path):
        return
    from sio.workers.untrusted import remove_tree

    remove_tree(path)


def _remove_flat(path):
    """Removes ``path`` when nothing in it is a folder (the common case: a
    job's own files), without the walk of a whole tree; ``False`` when it
    holds a folder or cannot be removed so.  A missing ``path`` is removed
    already."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        with os.scandir(fd) as entries:
            names = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        if any(is_dir for _, is_dir in names):
            return False
        for name, _ in names:
            os.unlink(name, dir_fd=fd)  # a link itself, never what it names
        os.rmdir(path)
    except OSError:
        os.close(fd)
        return False
    _close_later(fd)
    return True


# Freeing a removed directory happens when its last reference goes: here,
# at the close of the descriptor it was emptied through.  On a file system
# that discards freed blocks (ext4 mounted with ``discard``) that close
# waits for the device, 0.1-0.4 ms per job, while the directory is gone
# from its parent already.  So the close is left to a thread of its own,
# started on first use (``_thread``: the ``threading`` module would cost
# every start-up its import); a descriptor still waiting when the process
# ends is closed by the kernel.
_MAX_WAITING = 64
_closer = None  # (lock guarding the list, lock released when it has work, list)


def _close_later(fd):
    global _closer
    import _thread

    if _closer is None:
        wake = _thread.allocate_lock()
        wake.acquire()
        _closer = (_thread.allocate_lock(), wake, [])
        try:
            _thread.start_new_thread(_close_waiting, _closer)
        except RuntimeError:  # no thread can be started: close here
            _closer = None
            os.close(fd)
            return
    guard, wake, waiting = _closer
    with guard:
        if len(waiting) < _MAX_WAITING:
            waiting.append(fd)
            if wake.locked():
                wake.release()
            return
    os.close(fd)


def _close_waiting(guard, wake, waiting):
    while True:
        wake.acquire()
        with guard:
            fds = waiting[:]
            del waiting[:]
        for fd in fds:
            try:
                os.close(fd)
            except OSError:
                pass


def _forget_closer():
    """In a fork's child: the thread is its parent's; descriptors waiting
    for it stay open until the child ends (they name removed folders)."""
    global _closer
    _closer = None


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_forget_closer)


def hold_signals():
    """Blocks SIGINT, SIGTERM and SIGALRM; the mask to :func:`release_signals` to."""
    if pthread_sigmask is None:
        return None
    return pthread_sigmask(SIG_BLOCK, (SIGINT, SIGTERM, SIGALRM))


def release_signals(saved_mask):
    """Restores the signal mask :func:`hold_signals` returned."""
    if saved_mask is not None:
        pthread_sigmask(SIG_SETMASK, saved_mask)
