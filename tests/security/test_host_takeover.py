"""Host takeover: kernel settings, set-uid files, the supervisor, key rings."""

import ctypes
import os
import stat

import pytest

from .attacking import MODES


@pytest.mark.parametrize('mode', MODES)
def test_kernel_settings_cannot_be_opened_for_writing(attack, mode):
    found = attack('sysctl', mode)
    for name in ('core_pattern', 'modprobe', 'drop_caches', 'sysrq-trigger'):
        assert found[name] == 'refused', found.findings


@pytest.mark.parametrize('mode', MODES)
def test_no_set_uid_file_can_be_made(attack, mode, tmp_path):
    found = attack('setuid', mode)
    # Its output is not its own file; a file it owns is on a nosuid mount.
    assert found['stdout'] == 'refused'
    assert found['cwd-nosuid'] == 'yes'
    if mode != 'checker':
        mode_bits = os.stat(tmp_path / 'attack_out').st_mode
        assert not mode_bits & (stat.S_ISUID | stat.S_ISGID), oct(mode_bits)


@pytest.mark.parametrize('mode', MODES)
def test_supervisor_cannot_be_traced_signalled_or_written_to(attack, mode):
    found = attack('tracer', mode)
    # It sees the sandbox's init and the supervisor, and can touch neither.
    assert int(found['seen']) >= 1
    for what in ('traced', 'signalled', 'fds', 'mem'):
        assert found[what] == '0', found.findings


def _add_key(payload):
    """Adds a key holding ``payload`` to this process's user key ring; its
    serial."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    add_key = {'x86_64': 248, 'aarch64': 217}[os.uname().machine]
    serial = libc.syscall(ctypes.c_long(add_key), b'user', b'sio-canary-key', payload,
                          ctypes.c_size_t(len(payload)), ctypes.c_int(-4))
    assert serial > 0, os.strerror(ctypes.get_errno())
    return serial


def _revoke_key(serial):
    libc = ctypes.CDLL(None, use_errno=True)
    keyctl = {'x86_64': 250, 'aarch64': 219}[os.uname().machine]
    libc.syscall(ctypes.c_long(keyctl), ctypes.c_int(3), ctypes.c_long(serial))  # REVOKE


@pytest.mark.parametrize('mode', MODES)
def test_key_rings_of_the_worker_are_out_of_reach(attack, mode):
    secret = b'key-' + os.urandom(6).hex().encode()
    serial = _add_key(secret)
    try:
        found = attack('keys', mode, request=str(serial))
    finally:
        _revoke_key(serial)
    assert found['read'] == 'refused' and found['add'] == 'refused', found.findings
    assert secret.decode() not in found.findings
