"""The in-memory working directory of ``Isolation.scratch_bytes``.

A tmpfs mounted by the worker (root) for one run, at
``<lock dir>/../scratch/<uid>`` (a folder only root can enter), bound into
the sandbox as the program's working directory, and unmounted after the
run (the mount point stays, for the slot's next run).  Mounted here rather than by bubblewrap (whose ``--tmpfs`` takes a
size only) so that the number of its files is bounded too: every empty
file costs the kernel an inode, which a size limit does not count.
"""

import os
import time

from sio.workers.exceptions import Failure
from sio.workers.process import _libc
from sio.workers.process._libc import unmount as _unmount

#: One file per this many bytes of the directory's size, and at least
#: :data:`MIN_FILES`.
BYTES_PER_FILE = 4096
MIN_FILES = 1024
#: The smallest size (one page): tmpfs reads a size of 0 as no limit.
MIN_BYTES = 4096

#: Seconds between two sweeps for what dead workers left mounted.
SWEEP_SECONDS = 60.0

_last_sweep = None


def _root():
    from sio.workers.process import slots

    return os.path.join(os.path.dirname(slots.lock_dir()), 'scratch')


def _sweep(root, own_uid):
    """Unmounts what workers that died during a run left: directories of
    slots nobody holds (held here while they are unmounted)."""
    from sio.workers.process import slots

    for name in os.listdir(root):
        if not name.isdigit() or int(name) == own_uid \
                or not os.path.ismount(os.path.join(root, name)):
            continue
        held = slots.hold(int(name))
        if held is not None:
            with held:
                unmount(os.path.join(root, name))


def mount(slot, size_bytes):
    """Mounts a fresh tmpfs of ``size_bytes`` for ``slot``'s run; its path.
    :func:`unmount` it after the run."""
    global _last_sweep
    root = _root()
    path = os.path.join(root, str(slot.uid))
    try:
        now = time.monotonic()
        if _last_sweep is None or now - _last_sweep > SWEEP_SECONDS:
            os.makedirs(root, mode=0o700, exist_ok=True)
            _sweep(root, slot.uid)
            _last_sweep = now
        if not os.path.isdir(path):
            os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError as e:
        raise Failure('cannot make %s for an isolated run: %s' % (path, e.strerror))
    _unmount(path)  # left by a worker that died during a run
    size = max(int(size_bytes), MIN_BYTES)
    options = 'size=%d,nr_inodes=%d,mode=1777' % (size, max(MIN_FILES, size // BYTES_PER_FILE))
    try:
        _libc.mount(b'tmpfs', path, b'tmpfs', _libc.MS_NOSUID | _libc.MS_NODEV,
                    options.encode())
    except OSError as e:
        raise Failure('cannot mount the working directory of an isolated run at %s: %s'
                      % (path, e.strerror))
    return path


def unmount(path):
    """Unmounts a run's directory: its files go with it."""
    _unmount(path)
