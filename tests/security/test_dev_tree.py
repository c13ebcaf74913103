"""The sandbox's /dev: the few devices programs use, nothing writable."""

import ctypes
import os

from sio.workers.process import Isolation, Limits, _dev, run_program

CHECK_DEV = ('import os\n'
             'for name in ("null", "zero", "full", "urandom", "random"):\n'
             '    fd = os.open("/dev/" + name, os.O_RDWR)\n'
             '    os.read(fd, 1) if name != "null" else os.write(fd, b"x")\n'
             '    os.close(fd)\n'
             'print(" ".join(sorted(os.listdir("/dev"))))\n'
             'for path in ("/dev/shm/x", "/dev/x", "/dev/pts/x", "/dev/null.d"):\n'
             '    try:\n'
             '        open(path, "w")\n'
             '        print("made", path)\n'
             '    except OSError as e:\n'
             '        print("refused", e.errno)\n'
             'try:\n'
             '    os.mknod("/dev/shm/node")\n'
             '    print("made node")\n'
             'except OSError as e:\n'
             '    print("refused", e.errno)\n')


def _run_check(tmp_path):
    script = tmp_path / 'check_dev.py'
    script.write_text(CHECK_DEV)
    out = tmp_path / 'out'
    result = run_program(['python3', '-S', str(script)], cwd=str(tmp_path), stdout=str(out),
                         limits=Limits(cpu_ms=5000, wall_ms=20000, memory_kib=262144),
                         isolation=Isolation(scratch_bytes=1 << 20, readonly=(str(script),)))
    assert result.ok, result
    return out.read_text().splitlines()


def test_programs_use_the_devices_and_write_nothing_in_dev(tmp_path):
    lines = _run_check(tmp_path)
    names = lines[0].split()
    for name in ('null', 'zero', 'full', 'random', 'urandom', 'tty', 'stdin', 'stdout',
                 'stderr', 'fd', 'shm'):
        assert name in names
    assert len(lines) == 6
    assert all(line.startswith('refused') for line in lines[1:]), lines


def test_a_tree_that_is_gone_or_changed_is_made_again(tmp_path, monkeypatch):
    if os.geteuid() != 0:  # it cannot make device nodes: bubblewrap's --dev
        assert _dev.tree() is None
        return
    assert _dev.tree() == _dev.MOUNT_POINT
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.umount2(_dev.MOUNT_POINT.encode(), 2) == 0
    monkeypatch.setattr(_dev, '_checked', None)
    assert not _dev._valid(_dev.MOUNT_POINT)
    assert _run_check(tmp_path)[0]
    assert _dev._valid(_dev.MOUNT_POINT)
    # A tree that is not read-only any more is not used as it is.
    assert libc.mount(None, _dev.MOUNT_POINT.encode(), None, 32 | 2, None) == 0
    monkeypatch.setattr(_dev, '_checked', None)
    assert not _dev._valid(_dev.MOUNT_POINT)
    assert _dev.tree() == _dev.MOUNT_POINT
    assert _dev._valid(_dev.MOUNT_POINT)
    assert os.statvfs(_dev.MOUNT_POINT).f_flag & os.ST_RDONLY
