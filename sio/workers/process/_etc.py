"""The ``/etc`` of an isolated run: a copy of the few entries programs need.

Binding each needed file of the host's ``/etc`` into the sandbox costs
bubblewrap a mount (and a read of the mount table) per file, on every
run; together they were about half of the cost of starting a sandbox.
Instead, the entries are copied once into a folder of their own, which
each run binds as one read-only mount.  The folder's name is a digest of
what it was copied from (each entry's inode, size, mode and change time),
so a changed host file (an upgrade, ``update-alternatives``) makes a new
copy, and workers on one machine share the copy they agree on.  The
sources are looked at again at most every :data:`RECHECK_SECONDS`.
"""

import hashlib
import os
import shutil
import tempfile
import time

from sio.workers.exceptions import Failure

#: Seconds between two looks at the host's entries.
RECHECK_SECONDS = 5.0
#: A copy no worker chose for this long is removed (every worker touches
#: the copy it uses whenever it looks at the sources again).
STALE_SECONDS = 300.0
_PREFIX = 'etc-'

_current = None  # (time of the last look, path of the copy, what it holds)


def _sources(files, prefixes):
    """The host paths to copy: ``files`` and entries of /etc whose names
    start with one of ``prefixes``, those that exist."""
    names = [os.path.basename(f) for f in files]
    try:
        listed = sorted(os.listdir('/etc'))
    except OSError:
        listed = []
    names += [n for n in listed if n.startswith(prefixes) and n not in names]
    return [os.path.join('/etc', n) for n in names if os.path.lexists('/etc/' + n)]


def _walk(path):
    """``path`` and, for a real directory, everything below it."""
    yield path
    if os.path.isdir(path) and not os.path.islink(path):
        for folder, dirs, files in os.walk(path):
            for name in sorted(dirs) + sorted(files):
                yield os.path.join(folder, name)


def _digest(sources):
    h = hashlib.sha256()
    for source in sources:
        for path in _walk(source):
            try:
                info = os.lstat(path)
            except OSError:
                continue
            h.update(('%s\0%d\0%d\0%o\0%d\n' % (path, info.st_ino, info.st_size,
                                                info.st_mode, info.st_ctime_ns)).encode())
    return h.hexdigest()[:24]


def _copy(source, target, executable=False):
    if executable:
        shutil.copyfile(source, target)
        os.chmod(target, 0o755)
    elif os.path.islink(source):
        os.symlink(os.readlink(source), target)
    elif os.path.isdir(source):
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copyfile(source, target)
        os.chmod(target, 0o644)


def _build(base, name, sources, extra=()):
    final = os.path.join(base, name)
    if os.path.isdir(final):
        return final
    os.makedirs(base, mode=0o755, exist_ok=True)
    staging = tempfile.mkdtemp(prefix='.' + _PREFIX, dir=base)
    try:
        for source in sources:
            _copy(source, os.path.join(staging, os.path.basename(source)))
        for source, target in extra:
            _copy(source, os.path.join(staging, target), executable=True)
        os.chmod(staging, 0o755)
        try:
            os.rename(staging, final)
        except OSError:
            if not os.path.isdir(final):
                raise
    finally:
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)  # another worker was first
    _remove_stale(base, name)
    return final


def _remove_stale(base, keep):
    """Removes the copies no worker chose for :data:`STALE_SECONDS`."""
    for entry in os.listdir(base):
        path = os.path.join(base, entry)
        if not entry.startswith(_PREFIX) or entry == keep:
            continue
        try:
            if time.time() - os.lstat(path).st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def copy_dir(files, prefixes, extra=()):
    """The folder holding copies of ``files`` (of /etc) and the /etc
    entries starting with ``prefixes``, made or checked if it is time.
    ``extra``: ``(path, name)`` of further files, executables, copied
    under ``name`` (the supervisor: one bind less for every run)."""
    global _current
    now = time.monotonic()
    key = (tuple(files), tuple(prefixes), tuple(extra))
    if _current is not None and now - _current[0] < RECHECK_SECONDS \
            and _current[2] == key and os.path.isdir(_current[1]):
        return _current[1]
    from sio.workers.process import slots

    base = os.path.dirname(slots.lock_dir())
    sources = _sources(files, prefixes)
    try:
        digest = _digest(sources + [source for source, _ in extra])
        path = _build(base, _PREFIX + digest, sources, extra)
        os.utime(path)
    except OSError as e:
        raise Failure('cannot copy the files of /etc isolated runs need into %s: %s'
                      % (base, e)) from e
    _current = (now, path, key)
    return path
