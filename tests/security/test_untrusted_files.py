"""Reading and removing what a program left: the worker's side."""

import os
import socket
import threading

import pytest

from sio.workers.untrusted import UnsafeFile, copy_out, read_bytes, remove_tree


@pytest.fixture
def left(tmp_path, canary):
    """A directory as a program could leave it."""
    box = tmp_path / 'box'
    box.mkdir()
    (box / 'plain').write_bytes(b'plain\n')
    (box / 'big').write_bytes(b'x' * 5000)
    os.symlink(canary, box / 'link')
    os.symlink('/dev/zero', box / 'zero')
    os.mkfifo(box / 'fifo')
    os.mkdir(box / 'sub')
    os.symlink(str(tmp_path), box / 'up')
    suid = box / 'suid'
    suid.write_bytes(b'suid\n')
    os.chmod(suid, 0o4755)
    return box


def test_only_regular_files_within_the_bound_are_read(left):
    assert read_bytes(str(left), 'plain', 100) == b'plain\n'
    fd = os.open(str(left), os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert read_bytes(fd, 'plain', 6) == b'plain\n'
    finally:
        os.close(fd)
    for name, why in [('link', 'symbolic link'), ('zero', 'symbolic link'),
                      ('fifo', 'not a regular file'), ('sub', 'not a regular file'),
                      ('up/canary', 'symbolic link'), ('missing', 'does not exist'),
                      ('../box/plain', 'plain relative path'), ('big', 'larger than')]:
        with pytest.raises(UnsafeFile, match=why):
            read_bytes(str(left), name, 4096)


def test_a_fifo_does_not_block_the_reader(left):
    done = []

    def read_fifo():
        with pytest.raises(UnsafeFile):
            read_bytes(str(left), 'fifo', 100)
        done.append(True)

    reader = threading.Thread(target=read_fifo, daemon=True)
    reader.start()
    reader.join(10)
    assert done == [True]


def test_copies_never_keep_the_programs_mode(left, tmp_path):
    target = str(tmp_path / 'copied')
    copy_out(str(left), 'suid', target, 100)
    assert os.stat(target).st_mode & 0o7777 == 0o644
    with open(target, 'rb') as f:
        assert f.read() == b'suid\n'
    copy_out(str(left), 'plain', target, 100, mode=0o755)
    assert os.stat(target).st_mode & 0o7777 == 0o755
    with pytest.raises(UnsafeFile):
        copy_out(str(left), 'big', target, 100)
    assert not os.path.exists(target)


def test_any_tree_is_removed_without_following_links(left, tmp_path, canary):
    deep = os.open(str(left / 'sub'), os.O_RDONLY)
    shut = []  # shut once the tree is made: only root could fill them shut
    for depth in range(6000):
        os.mkdir('d', dir_fd=deep)
        inner = os.open('d', os.O_RDONLY, dir_fd=deep)
        os.close(deep)
        deep = inner
        if depth % 1500 == 0:
            os.symlink(canary, 'link', dir_fd=deep)
            os.mkfifo('fifo', dir_fd=deep)
            shut.append(os.dup(deep))
    os.close(deep)
    for fd in shut:
        os.fchmod(fd, 0)
        os.close(fd)
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(left / 'socket'))
    os.chmod(left / 'sub', 0)
    os.chmod(left, 0o500)
    remove_tree(str(left))
    assert not os.path.lexists(left)
    assert os.path.exists(canary)
