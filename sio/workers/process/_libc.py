"""The C library, for the calls :mod:`os` lacks here (``mount``,
``umount2``, ``unshare``, ``setns``): loaded once per process, on first
use (:mod:`ctypes` is not imported by jobs that never isolate)."""

import os

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MNT_DETACH = 2

_libc = None


def libc():
    global _libc
    if _libc is None:
        import ctypes

        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def errno():
    """The C library's ``errno`` of this thread's last call through it."""
    import ctypes

    return ctypes.get_errno()


def mount(source, target, fstype, flags, options):
    """``mount(2)``; :class:`OSError` naming ``target`` when refused."""
    if libc().mount(source, os.fsencode(target), fstype, flags, options) != 0:
        error = errno()
        raise OSError(error, os.strerror(error), target)


def unmount(path):
    """Detaches whatever is mounted at ``path``; nothing mounted is no error."""
    libc().umount2(os.fsencode(path), MNT_DETACH)
