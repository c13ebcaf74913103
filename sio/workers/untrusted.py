"""Handling what an untrusted program could have touched.

A program's working directory may hold anything once it ended: symbolic
links to the worker's files, FIFOs that block a reader forever, devices,
files of any mode, trees thousands of directories deep.  The worker reads
and removes such files only through these functions:

* :func:`read_bytes`, :func:`copy_out` and :func:`open_regular` open a
  file relative to an open directory, one path component at a time,
  never following a symbolic link (``O_NOFOLLOW``), and accept only a
  regular file, read up to a size bound; :func:`copy_out` makes a new file
  with the mode it is given, never the program's mode bits;
* :func:`remove_tree` removes any tree without recursion and with a fixed
  number of open descriptors, whatever the depth, file types and modes;
  :func:`tree_size` measures one, refusing folders nested too deep;
* :class:`Box` is a working directory owned by a slot user
  (:mod:`sio.workers.process.slots`), writable by the program run as
  that user, and removed before the slot is released.

A worker that is not root has no power over its slots' files: what needs
it (a file or folder the program shut, handing a folder to a slot user)
runs as root of the worker's user namespace
(:func:`sio.workers.process.userns.call`), with the same care.
"""

import errno
import os
import stat

from sio.workers.process import slots, userns

_CHUNK = 1 << 16
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
_DIR_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC


class UnsafeFile(Exception):
    """A file a program left is not a regular file within its size bound:
    a link, a FIFO, a device, a directory, missing, or too large."""

    def __init__(self, name, why):
        super().__init__('%s %s' % (name, why))
        self.name = name
        self.why = why

    def __reduce__(self):
        return type(self), (self.name, self.why)


class _Denied(UnsafeFile):
    """The worker's user may not open it (a worker that is not root)."""


def _open_dir(path_or_fd):
    if isinstance(path_or_fd, int):
        return os.dup(path_or_fd)
    return os.open(path_or_fd, _DIR_FLAGS)


def open_regular(directory, name):
    """A read-only descriptor of the regular file ``name`` (a relative
    path) below ``directory`` (a path or a directory descriptor);
    :class:`UnsafeFile` otherwise.  The caller closes it."""
    parts = [p for p in name.split('/') if p not in ('', '.')]
    if not parts or '..' in parts:
        raise UnsafeFile(name, 'is not a plain relative path')
    try:
        file_fd = _open_parts(directory, parts, name)
    except _Denied:
        if not userns.needed():
            raise
        file_fd = userns.call_for_fd(_open_parts, directory, parts, name)
    info = os.fstat(file_fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(file_fd)
        raise UnsafeFile(name, 'is not a regular file')
    os.set_blocking(file_fd, True)
    return file_fd


def _open_parts(directory, parts, name):
    try:
        fd = _open_dir(directory)
    except PermissionError:
        raise _Denied(name, 'cannot be opened (its folder is shut)')
    try:
        for part in parts[:-1]:
            fd, parent = _openat(part, _DIR_FLAGS, fd, name), fd
            os.close(parent)
        return _openat(parts[-1], _OPEN_FLAGS, fd, name)
    finally:
        os.close(fd)


def _openat(part, flags, dir_fd, name):
    try:
        return os.open(part, flags, dir_fd=dir_fd)
    except OSError as e:
        if e.errno == errno.EACCES:
            raise _Denied(name, 'cannot be opened (%s)' % e.strerror)
        if e.errno in (errno.ELOOP, errno.ENOTDIR):
            raise UnsafeFile(name, 'is or passes through a symbolic link')
        if e.errno == errno.ENOENT:
            raise UnsafeFile(name, 'does not exist')
        raise UnsafeFile(name, 'cannot be opened (%s)' % e.strerror)


def _chunks(fd, limit, name):
    """The file's contents in chunks; :class:`UnsafeFile` past ``limit``."""
    total = 0
    while True:
        chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
        if not chunk:
            return
        total += len(chunk)
        if total > limit:
            raise UnsafeFile(name, 'is larger than %d bytes' % limit)
        yield chunk


def read_bytes(directory, name, limit):
    """The contents of the regular file ``name`` below ``directory``, at
    most ``limit`` bytes; :class:`UnsafeFile` otherwise."""
    fd = open_regular(directory, name)
    try:
        return b''.join(_chunks(fd, limit, name))
    finally:
        os.close(fd)


def copy_out(directory, name, target, limit, mode=0o644):
    """Copies the regular file ``name`` below ``directory`` to a new file
    ``target`` (replaced if it exists) with ``mode``; at most ``limit``
    bytes, else :class:`UnsafeFile` and no ``target``."""
    fd = open_regular(directory, name)
    try:
        try:
            os.unlink(target)
        except FileNotFoundError:
            pass
        out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                      | os.O_CLOEXEC, mode)
        try:
            for chunk in _chunks(fd, limit, name):
                os.write(out, chunk)
            os.fchmod(out, mode)  # whatever the umask
        except BaseException:
            os.close(out)
            os.unlink(target)
            raise
        os.close(out)
    finally:
        os.close(fd)


def tree_size(path, max_depth):
    """Bytes of the files below ``path`` (never following links), counted
    without recursion; :class:`UnsafeFile` when folders nest deeper than
    ``max_depth``, which bounds the descriptors it holds."""
    return userns.call(_tree_size, path, max_depth)


def list_names(path):
    """The sorted names in the folder ``path``, which a program may have
    shut."""
    return userns.call(_sorted_names, path)


def _sorted_names(path):
    return sorted(os.listdir(path))


def _tree_size(path, max_depth):
    stack = [os.open(path, _DIR_FLAGS)]
    total = 0
    try:
        pending = [list(_entries(stack[0]))]
        while pending:
            if not pending[-1]:
                pending.pop()
                os.close(stack.pop())
                continue
            name, is_dir, size = pending[-1].pop()
            if not is_dir:
                total += size
                continue
            if len(stack) > max_depth:
                raise UnsafeFile(os.path.basename(path), 'has folders nested deeper than '
                                 '%d levels' % max_depth)
            try:
                fd = os.open(name, _DIR_FLAGS, dir_fd=stack[-1])
            except OSError:
                continue  # gone, or shut by its owner: nothing to count
            stack.append(fd)
            pending.append(list(_entries(fd)))
    finally:
        for fd in stack:
            os.close(fd)
    return total


def _entries(fd):
    with os.scandir(fd) as entries:
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield entry.name, stat.S_ISDIR(info.st_mode), info.st_size


def remove_tree(path):
    """Removes ``path`` and everything below it, never following links.

    Iterative and flat: every directory found is first moved up into
    ``path`` itself, so the depth of the tree costs neither recursion nor
    descriptors.  Directories without permissions are given them first
    (matters only to a worker that is not root, which removes what its
    user may not as root of its user namespace).
    """
    try:
        _remove_tree(path)
    except PermissionError:
        if not userns.needed():
            raise
        userns.call(_remove_tree, path)


def _remove_tree(path):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(path)
        return
    top = _open_searchable(path, None)
    try:
        pending = [None]  # None: top itself; else names of moved dirs in top
        moved = 0
        while pending:
            name = pending.pop()
            fd = top if name is None else _open_searchable(name, top)
            try:
                moved = _empty(fd, top, pending, moved)
            finally:
                if fd != top:
                    os.close(fd)
            if name is not None:
                os.rmdir(name, dir_fd=top)
    finally:
        os.close(top)
    os.rmdir(path)


def _open_searchable(name, dir_fd):
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except PermissionError:
        os.chmod(name, 0o700, dir_fd=dir_fd)  # a directory: lstat said so
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)


def _empty(fd, top, pending, moved):
    """Unlinks the non-directories in ``fd``; adds its directories to
    ``pending``, moved into ``top`` under fresh names unless ``fd`` is
    ``top``."""
    try:
        os.fchmod(fd, 0o700)
    except OSError:
        pass
    while True:
        with os.scandir(fd) as entries:
            batch = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        if not batch:
            return moved
        for name, is_dir in batch:
            if not is_dir:
                os.unlink(name, dir_fd=fd)
            elif fd == top:
                pending.append(name)
            else:
                moved, new_name = _fresh_name(top, moved)
                try:
                    os.rename(name, new_name, src_dir_fd=fd, dst_dir_fd=top)
                except PermissionError:  # moving a folder writes its '..'
                    os.chmod(name, 0o700, dir_fd=fd)
                    os.rename(name, new_name, src_dir_fd=fd, dst_dir_fd=top)
                pending.append(new_name)
        if fd == top:
            return moved


def _fresh_name(top, moved):
    while True:
        moved += 1
        name = '.sio-rm-%d' % moved
        try:
            os.lstat(name, dir_fd=top)
        except FileNotFoundError:
            return moved, name


class Box:
    """A working directory for a program run as a slot user.

    ``with Box(parent, name) as box:`` takes a free slot
    (:attr:`slot`) and makes the folder ``parent/name`` (:attr:`path`),
    the worker's until :meth:`reopen` hands it to the slot's user with
    mode 0711 (the sandbox, which keeps no capability to override file
    modes, must be able to enter it): call it before every run.  At the
    end it removes the folder and whatever the program left in it, then
    releases the slot.  The ``parent`` must be the worker's own, out of
    other users' reach.  Pass ``Isolation(writable=(box.path,),
    slot=box.slot)`` to the run; read what the program made with
    :func:`read_bytes` or :func:`copy_out` relative to :attr:`path`, and
    list it with :func:`list_names`.
    """

    def __init__(self, parent, name):
        self.path = os.path.join(os.path.abspath(parent), name)
        self.slot = None

    def __enter__(self):
        self.slot = slots.acquire()
        try:
            os.mkdir(self.path, 0o700)
        except BaseException:
            self.slot.release()
            raise
        return self

    def reopen(self):
        """Hands the box to the slot's user and makes it enterable (mode
        0711), whatever mode the program gave it: call it before every
        run."""
        userns.call(_hand_over, self.path, self.slot.uid, self.slot.gid)

    def __exit__(self, *exc):
        try:
            userns.call(remove_tree, self.path)
        finally:
            self.slot.release()


def _hand_over(path, uid, gid):
    os.chown(path, uid, gid)  # the parent is the worker's: no link here
    os.chmod(path, 0o711)


__all__ = ['Box', 'UnsafeFile', 'copy_out', 'list_names', 'open_regular', 'read_bytes',
           'remove_tree', 'tree_size']
