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
:func:`sio.workers.defaults.cache_dir` when ``/run`` is missing or, for a
worker that is not root, when it cannot write there.  The kernel drops
the lock when the holder's descriptor is closed, also when the worker
dies, so a crashed worker never leaks a slot.  Every worker using a slot
range must see the same lock directory.

A worker that is not root runs its programs through a user namespace of
its own (:mod:`sio.workers.process.userns`), which can only hold the ids
that ``/etc/subuid`` and ``/etc/subgid`` give its user: the slot range
must be among them, which :func:`acquire` checks once per process
(:func:`check_subordinate`).

The program owns nothing on the machine but the files it makes in the
directory it is given for the run; the caller removes them
(:func:`sio.workers.untrusted.remove_tree`) before the slot is released,
so the next holder of the uid finds nothing of its predecessor.
"""

import errno
import fcntl
import os

from sio.workers.defaults import cache_dir, number_from_env
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
    return number_from_env(variable, default, int, lambda value: lowest <= value <= highest,
                           'a whole number from %d to %d' % (lowest, highest))


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
    if os.path.isdir(os.path.dirname(os.path.dirname(MACHINE_LOCK_DIR))) and (
            os.geteuid() == 0 or _may_write(MACHINE_LOCK_DIR)):
        return MACHINE_LOCK_DIR
    return os.path.join(cache_dir(), 'slots')


def _may_write(path):
    """Whether this process can use ``path`` as a folder: it is writable,
    or the nearest folder above it that exists is."""
    while not os.path.isdir(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.access(path, os.W_OK | os.X_OK)


SUBUID_FILE = '/etc/subuid'
SUBGID_FILE = '/etc/subgid'
_checked = set()


def check_subordinate(ids=None):
    """For a worker that is not root: :class:`Failure` in one line naming
    what to add unless the slot range (``ids``, by default the
    configured one) is among the subordinate uids and gids of its user;
    checked once per process and range."""
    ids = uid_range() if ids is None else ids
    key = (ids[0], len(ids), os.getuid(), os.getgid())
    if key not in _checked:
        check_ranges(ids)
        _checked.add(key)


def _user_name():
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def subordinate_ranges(path, user, uid):
    """The ``(first, count)`` ranges ``path`` (``/etc/subuid`` or
    ``/etc/subgid``) gives ``user`` (a name) or ``uid``."""
    found = []
    try:
        with open(path, encoding='utf-8', errors='replace') as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return found
    except OSError as e:
        raise Failure('cannot read %s for the slots of isolated runs: %s'
                      % (path, e.strerror))
    for line in lines:
        fields = line.strip().split(':')
        if len(fields) == 3 and fields[0] in (user, str(uid)) \
                and fields[1].isdigit() and fields[2].isdigit():
            found.append((int(fields[1]), int(fields[2])))
    return found


def _covered(ranges, ids):
    """Whether the ``ranges`` together hold every id of the range ``ids``."""
    next_id = ids[0]
    for first, count in sorted(ranges):
        if first > next_id:
            break
        next_id = max(next_id, first + count)
    return next_id >= ids[-1] + 1


def check_ranges(ids, user=None, uid=None, gid=None):
    """:class:`Failure` in one line naming what to add unless the slot
    range ``ids`` is among the subordinate uids and gids of the worker's
    user (and holds neither its own uid nor its gid)."""
    uid = os.getuid() if uid is None else uid
    gid = os.getgid() if gid is None else gid
    user = _user_name() if user is None else user
    first, last = ids[0], ids[-1]
    for path, kind, own in ((SUBUID_FILE, 'uids', uid), (SUBGID_FILE, 'gids', gid)):
        if own in ids:
            raise Failure('the slots of isolated runs (ids %d to %d) hold the worker\'s own '
                          '%s %d: set %s and %s to a range of its subordinate %s instead'
                          % (first, last, kind[:-1], own, FIRST_UID_VARIABLE,
                             COUNT_VARIABLE, kind))
        ranges = subordinate_ranges(path, user, uid)
        if not _covered(ranges, ids):
            has = ', '.join('%d to %d' % (a, a + n - 1) for a, n in ranges) or 'none'
            raise Failure(
                'isolated runs as the ordinary user %s need the slot %s %d to %d among its '
                'subordinate %s: add the line "%s:%d:%d" to %s (usermod --add-sub%s %d-%d '
                '%s), or set %s and %s to a range it has (it has: %s)'
                % (user, kind, first, last, kind, user, first, len(ids), path, kind,
                   first, last, user, FIRST_UID_VARIABLE, COUNT_VARIABLE, has))


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
    if os.geteuid() != 0:
        check_subordinate(uids)
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


__all__ = ['DEFAULT_COUNT', 'DEFAULT_FIRST_UID', 'Slot', 'acquire', 'check_ranges',
           'check_subordinate', 'hold', 'lock_dir', 'subordinate_ranges', 'uid_range']
