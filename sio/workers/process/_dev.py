"""The ``/dev`` of an isolated run started by root: one prepared tree.

bubblewrap's ``--dev`` makes a tmpfs and binds six host devices into it,
one mount each, and every bind makes it read the whole mount table again;
with the remount that makes the result read-only, that was about a tenth
of the cost of starting a sandbox.  A worker that is root instead
prepares the same few devices once, in a small tmpfs of the machine's own
(:data:`MOUNT_POINT`), which it then makes read-only; each run binds it as
the sandbox's ``/dev`` in one mount, already read-only, so bubblewrap
neither remounts it nor the devices inside.

The tree holds ``null``, ``zero``, ``full``, ``random``, ``urandom`` and
``tty`` (the host's device numbers, mode 0666), the links ``stdin``,
``stdout``, ``stderr`` and ``fd`` into ``/proc/self/fd``, and empty
``shm`` and ``pts`` folders; nothing in it is writable, no pseudo-terminal
can be made (there is no ``devpts``).  Its content is checked before it
is first used by a process and again every :data:`RECHECK_SECONDS`; a
tree that differs is unmounted and made again.  A worker that is not root
cannot make device nodes: it keeps bubblewrap's ``--dev``.
"""

import fcntl
import os
import stat
import time

from sio.workers.process import _libc

#: Where the tree is mounted: one place for the machine, whatever the
#: workers' lock directories.
MOUNT_POINT = '/run/sioworkers/dev'
#: Devices copied from the host's /dev.
NODES = ('null', 'zero', 'full', 'random', 'urandom', 'tty')
LINKS = (('stdin', '/proc/self/fd/0'), ('stdout', '/proc/self/fd/1'),
         ('stderr', '/proc/self/fd/2'), ('fd', '/proc/self/fd'))
FOLDERS = ('shm', 'pts')
RECHECK_SECONDS = 5.0

_checked = None  # (time of the last full check, st_dev of the mounted tree)


def _valid(path):
    """Whether ``path`` is a read-only mount holding exactly the tree."""
    try:
        if not os.path.ismount(path):
            return False
        flags = os.statvfs(path).f_flag
        if not flags & os.ST_RDONLY or flags & os.ST_NODEV or not flags & os.ST_NOSUID:
            return False
        root = os.lstat(path)
        if root.st_uid != 0 or stat.S_IMODE(root.st_mode) != 0o755:
            return False
        expected = set(NODES) | set(name for name, _ in LINKS) | set(FOLDERS)
        if set(os.listdir(path)) != expected:
            return False
        for name in NODES:
            info = os.lstat(os.path.join(path, name))
            if not stat.S_ISCHR(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o666 \
                    or info.st_uid != 0 or info.st_rdev != os.stat('/dev/' + name).st_rdev:
                return False
        for name, target in LINKS:
            if os.readlink(os.path.join(path, name)) != target:
                return False
        for name in FOLDERS:
            info = os.lstat(os.path.join(path, name))
            if not stat.S_ISDIR(info.st_mode) or stat.S_IMODE(info.st_mode) != 0o755 \
                    or info.st_uid != 0:
                return False
    except OSError:
        return False
    return True


def _make(path):
    """Mounts a fresh tree at ``path``, fills it and makes it read-only."""
    if os.path.ismount(path):
        _libc.unmount(path)  # runs using it keep it
    _libc.mount(b'tmpfs', path, b'tmpfs', _libc.MS_NOSUID, b'size=4096,nr_inodes=64,mode=0755')
    try:
        old_umask = os.umask(0o022)
        try:
            for name in NODES:
                node = os.path.join(path, name)
                os.mknod(node, stat.S_IFCHR | 0o666, os.stat('/dev/' + name).st_rdev)
                os.chmod(node, 0o666)
            for name, target in LINKS:
                os.symlink(target, os.path.join(path, name))
            for name in FOLDERS:
                os.mkdir(os.path.join(path, name), 0o755)
        finally:
            os.umask(old_umask)
        _libc.mount(None, path, None, _libc.MS_REMOUNT | _libc.MS_RDONLY | _libc.MS_NOSUID,
                    None)
    except BaseException:
        _libc.unmount(path)
        raise


def tree():
    """The prepared /dev (made when missing), or ``None`` when this
    worker cannot use one (not root, no ``/run``, a mount refused): the
    caller then has bubblewrap make its own."""
    global _checked
    if os.geteuid() != 0:
        return None
    now = time.monotonic()
    if _checked is not None and now - _checked[0] < RECHECK_SECONDS:
        try:
            if os.stat(MOUNT_POINT).st_dev == _checked[1]:
                return MOUNT_POINT
        except OSError:
            pass
    _checked = None
    if _valid(MOUNT_POINT):
        _checked = (now, os.stat(MOUNT_POINT).st_dev)
        return MOUNT_POINT
    parent = os.path.dirname(MOUNT_POINT)
    if not os.path.isdir(os.path.dirname(parent)):
        return None
    try:
        os.makedirs(MOUNT_POINT, mode=0o755, exist_ok=True)
        lock = os.open(os.path.join(parent, '.dev.lock'),
                       os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not _valid(MOUNT_POINT):  # another worker may have made it meanwhile
                _make(MOUNT_POINT)
        finally:
            os.close(lock)
        if not _valid(MOUNT_POINT):
            return None
        _checked = (now, os.stat(MOUNT_POINT).st_dev)
    except OSError:
        return None
    return MOUNT_POINT
