"""Slots: the host user ids that untrusted programs run as.

Modelled on isolate's sandbox boxes.  A machine sets aside a range of user
ids (and group ids of the same numbers) that no account uses and that own
no file: by default :data:`DEFAULT_FIRST_UID` to ``DEFAULT_FIRST_UID +
DEFAULT_COUNT - 1``, configurable with the environment variables
``SIO_SLOT_FIRST_UID`` and ``SIO_SLOT_COUNT``.  Every isolated run takes
one slot for itself; while it holds it, no other run on the machine -- in
this process or in another worker -- gets the same one.

A slot is held by an exclusive ``flock`` on its lock file,
``<lock dir>/<uid>.lock``: ``SIO_SLOT_LOCK_DIR`` if set, else
:data:`MACHINE_LOCK_DIR` (the same for every worker of the machine,
whatever its cache directory), else ``slots`` under
:func:`sio.workers.defaults.cache_dir` when ``/run`` is missing.  The
kernel drops the lock when the holder's descriptor is closed, also when
the worker dies, so a crashed worker never leaks a slot.  Every worker on
a machine must see the same lock directory.

The program owns nothing on the machine but the files it makes in the
directory it is given for the run; the caller removes them
(:func:`sio.workers.untrusted.remove_tree`) before the slot is released,
so the next holder of the uid finds nothing of its predecessor.
"""

import errno
import fcntl
import os

from sio.workers.defaults import cache_dir
from sio.workers.exceptions import Failure

#: The first uid of the default range (isolate uses 60000 and up; this
#: range starts above it so that both can share a machine).
DEFAULT_FIRST_UID = 61000
#: How many slots the default range holds: more than the isolated runs one
#: machine can run at a time.
DEFAULT_COUNT = 1000
FIRST_UID_VARIABLE = 'SIO_SLOT_FIRST_UID'
COUNT_VARIABLE = 'SIO_SLOT_COUNT'
LOCK_DIR_VARIABLE = 'SIO_SLOT_LOCK_DIR'
#: The lowest first uid accepted: below it are the system's and people's
#: accounts.
_LOWEST_FIRST_UID = 10000
_HIGHEST_UID = 2 ** 31 - 2


def _number(variable, default, lowest, highest):
    text = os.environ.get(variable)
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not lowest <= value <= highest:
        raise Failure('the environment variable %s must be a whole number from %d to '
                      '%d, not %r' % (variable, lowest, highest, text))
    return value


def uid_range():
    """``range`` of the slot uids configured for this machine."""
    first = _number(FIRST_UID_VARIABLE, DEFAULT_FIRST_UID, _LOWEST_FIRST_UID,
                    _HIGHEST_UID)
    count = _number(COUNT_VARIABLE, DEFAULT_COUNT, 1, _HIGHEST_UID - first + 1)
    return range(first, first + count)


#: Where the slots' lock files are by default: one place for the machine.
MACHINE_LOCK_DIR = '/run/sioworkers/slots'


def lock_dir():
    configured = os.environ.get(LOCK_DIR_VARIABLE)
    if configured:
        return configured
    if os.path.isdir(os.path.dirname(os.path.dirname(MACHINE_LOCK_DIR))):
        return MACHINE_LOCK_DIR
    return os.path.join(cache_dir(), 'slots')


class Slot:
    """One held slot: :attr:`uid` and :attr:`gid` (the same number).

    Release it with :meth:`release` or by using it as a context manager.
    """

    __slots__ = ('uid', 'gid', '_lock_fd')

    def __init__(self, uid, lock_fd):
        self.uid = uid
        self.gid = uid
        self._lock_fd = lock_fd

    @property
    def held(self):
        return self._lock_fd is not None

    def release(self):
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)  # drops the flock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __repr__(self):
        return 'Slot(uid=%d%s)' % (self.uid, '' if self.held else ', released')


def _open_lock_dir():
    directory = lock_dir()
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        return os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as e:
        raise Failure('cannot use %s for the slot locks of isolated runs (%s): set %s '
                      'to a directory the worker can write' % (directory, e.strerror,
                                                              LOCK_DIR_VARIABLE))


def _try_lock(dir_fd, uid):
    """The locked descriptor of ``uid``'s lock file, or ``None`` if taken."""
    fd = os.open('%d.lock' % uid, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW,
                 0o600, dir_fd=dir_fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        os.close(fd)
        if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return None
        raise
    return fd


def hold(uid):
    """The :class:`Slot` of ``uid`` if it is free now, else ``None``."""
    dir_fd = _open_lock_dir()
    try:
        fd = _try_lock(dir_fd, uid)
    finally:
        os.close(dir_fd)
    return None if fd is None else Slot(uid, fd)


def acquire():
    """A free :class:`Slot`; :class:`Failure` when every slot is taken.

    The search starts at a place that depends on the process id, so that
    workers started together do not all try the same lock files first.
    """
    uids = uid_range()
    dir_fd = _open_lock_dir()
    try:
        start = (os.getpid() * 7) % len(uids)
        for k in range(len(uids)):
            uid = uids[(start + k) % len(uids)]
            try:
                fd = _try_lock(dir_fd, uid)
            except OSError as e:
                raise Failure('cannot lock the slot of uid %d in %s: %s'
                              % (uid, lock_dir(), e.strerror))
            if fd is not None:
                return Slot(uid, fd)
    finally:
        os.close(dir_fd)
    raise Failure('all %d slots of isolated runs (uids %d to %d) are in use: raise %s '
                  'or run fewer jobs at once' % (len(uids), uids[0], uids[-1],
                                                 COUNT_VARIABLE))


__all__ = ['DEFAULT_COUNT', 'DEFAULT_FIRST_UID', 'Slot', 'acquire', 'hold', 'lock_dir',
           'uid_range']
