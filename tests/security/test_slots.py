"""Slots: the host users isolated programs run as."""

import os
import subprocess
import sys

import pytest

from sio.workers.exceptions import Failure
from sio.workers.process import Isolation, Limits, slots, start_program

from .attacking import Attack

ACQUIRE = ('import sys; from sio.workers.process import slots\n'
           'try:\n    print(slots.acquire().uid)\n'
           'except Exception as e:\n    print(e)\n')


@pytest.fixture
def lock_dir(tmp_path, monkeypatch):
    path = tmp_path / 'slot-locks'
    monkeypatch.setenv('SIO_SLOT_LOCK_DIR', str(path))
    return path


def _acquire_elsewhere():
    """What another worker process gets: a uid, or the error."""
    return subprocess.run([sys.executable, '-c', ACQUIRE], capture_output=True,
                          text=True, check=True, env=os.environ).stdout.strip()


def test_a_held_slot_is_not_given_to_another_worker(lock_dir, monkeypatch):
    monkeypatch.setenv('SIO_SLOT_COUNT', '2')
    with slots.acquire() as mine:
        other = _acquire_elsewhere()
        assert other.isdigit() and int(other) != mine.uid
        assert int(other) in slots.uid_range()
        with slots.acquire():
            assert 'all 2 slots' in _acquire_elsewhere()
    assert _acquire_elsewhere().isdigit()


def test_all_slots_taken_is_a_clear_failure(lock_dir, monkeypatch):
    monkeypatch.setenv('SIO_SLOT_COUNT', '1')
    with slots.acquire():
        with pytest.raises(Failure, match='SIO_SLOT_COUNT'):
            slots.acquire()


@pytest.mark.parametrize('variable, value', [('SIO_SLOT_FIRST_UID', '0'),
                                             ('SIO_SLOT_FIRST_UID', 'root'),
                                             ('SIO_SLOT_COUNT', '0')])
def test_a_bad_range_is_refused(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(Failure, match=variable):
        slots.uid_range()


def test_concurrent_runs_are_distinct_unprivileged_users(attacks, tmp_path):
    """Four runs at once: four slot users, none root or the worker, no
    groups, no capabilities, only descriptors 0-2."""
    read_end, write_end = os.pipe()
    running = []
    try:
        for k in range(4):
            out = str(tmp_path / ('who%d' % k))
            running.append((out, start_program(
                [attacks['whoami']], cwd=str(tmp_path), stdin=read_end, stdout=out,
                limits=Limits(cpu_ms=5000, wall_ms=20000, processes=1),
                isolation=Isolation(slot=True, scratch_bytes=1 << 20,
                                    readonly=(attacks['whoami'],)))))
    finally:
        os.close(read_end)
        os.write(write_end, b'\n' * 4)
        os.close(write_end)
    found = []
    for out, program in running:
        result = program.wait()
        assert result.ok, result
        with open(out) as f:
            found.append(Attack(None, f.read().strip()))
    uids = {int(f['uid']) for f in found}
    assert len(uids) == 4 and uids <= set(slots.uid_range())
    assert not uids & {0, os.getuid(), os.geteuid()}
    for f in found:
        assert f['gid'] == f['uid'] and f['groups'] == '0', f.findings
        assert int(f['caps'], 16) == 0 and f['fds'] == '3', f.findings
