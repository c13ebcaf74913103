"""The seccomp filter of an isolated program.

The supervisor loads it (``--seccomp-fd FD``) in the program's process
just before it executes the program, so the supervisor itself may still
fork.  Every isolated program gets it:

* calls that make memory outside the program's address space, where
  ``RLIMIT_AS`` does not see it (``memfd_create``, ``memfd_secret``,
  System V ``shmget``), and calls that make namespaces or mounts (a new
  user namespace would give the program a private tmpfs, which is memory
  again) or reach the kernel's key rings, fail with ``EPERM``;
* ``clone`` with any namespace flag fails with ``EPERM``; ``clone3``
  answers ``ENOSYS``, because its flags cannot be inspected by a filter
  and the C library then falls back to ``clone``;
* system calls of another ABI (32-bit, x32) kill the program.

With ``single_process`` (``processes`` is 1), creating a process
(``fork``, ``vfork``, ``clone`` without ``CLONE_THREAD``) kills the program
with ``SIGSYS``, which the executors report as a rule violation; threads
stay allowed (runtimes such as the JVM need them), and their number is
bounded by ``RLIMIT_NPROC`` of the program's slot user.
"""

import os
import platform
import struct

_LD_W_ABS = 0x20
_JEQ = 0x15
_JGE = 0x35
_JSET = 0x45
_RET = 0x06

_RET_KILL_PROCESS = 0x80000000
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_ENOSYS = 38
_EPERM = 1
_CLONE_THREAD = 0x00010000
#: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET.
_CLONE_NAMESPACES = 0x7E020000

_OFFSET_NR = 0
_OFFSET_ARCH = 4
_OFFSET_ARG0 = 16  # the low half of args[0], on little-endian machines

#: Calls refused with EPERM (see the module docstring).
_REFUSED = ('memfd_create', 'memfd_secret', 'shmget', 'unshare', 'setns', 'mount',
            'fsopen', 'fsconfig', 'fsmount', 'open_tree', 'move_mount', 'mount_setattr',
            'keyctl', 'add_key', 'request_key')
_NEW_MOUNT_API = {'open_tree': 428, 'move_mount': 429, 'fsopen': 430, 'fsconfig': 431,
                  'fsmount': 432, 'mount_setattr': 442, 'memfd_secret': 447}

# machine -> (audit arch, {name: number}, lowest number of a foreign ABI)
_ARCHES = {
    'x86_64': (0xC000003E, dict(
        _NEW_MOUNT_API, fork=57, vfork=58, clone=56, clone3=435, memfd_create=319,
        shmget=29, unshare=272, setns=308, mount=165, keyctl=250, add_key=248,
        request_key=249), 0x40000000),
    'aarch64': (0xC00000B7, dict(
        _NEW_MOUNT_API, clone=220, clone3=435, memfd_create=279, shmget=194, unshare=97,
        setns=268, mount=40, keyctl=219, add_key=217, request_key=218), None),
}


def _program(arch, numbers, foreign_abi, single_process):
    """The filter as (code, jump-if-true label, jump-if-false label, k)."""
    steps = [('ld', _OFFSET_ARCH), ('jeq', arch, None, 'kill'), ('ld', _OFFSET_NR)]
    if foreign_abi is not None:
        steps.append(('jge', foreign_abi, 'kill', None))
    for name in _REFUSED:
        steps.append(('jeq', numbers[name], 'eperm', None))
    if single_process:
        for name in ('fork', 'vfork'):
            if name in numbers:
                steps.append(('jeq', numbers[name], 'kill', None))
    steps += [
        ('jeq', numbers['clone3'], 'enosys', None),
        ('jeq', numbers['clone'], None, 'allow'),
        ('ld', _OFFSET_ARG0),
    ]
    if single_process:
        steps += [('jset', _CLONE_NAMESPACES, 'eperm', None),
                  ('jset', _CLONE_THREAD, 'allow', 'kill')]
    else:
        steps.append(('jset', _CLONE_NAMESPACES, 'eperm', 'allow'))
    return steps


def _assemble(steps):
    labels = {'allow': (_RET_ALLOW,), 'kill': (_RET_KILL_PROCESS,),
              'enosys': (_RET_ERRNO | _ENOSYS,), 'eperm': (_RET_ERRNO | _EPERM,)}
    order = list(labels)
    end = len(steps)
    position = {name: end + i for i, name in enumerate(order)}
    codes = {'jeq': _JEQ, 'jge': _JGE, 'jset': _JSET}
    out = []
    for index, step in enumerate(steps):
        if step[0] == 'ld':
            out.append(struct.pack('HBBI', _LD_W_ABS, 0, 0, step[1]))
            continue
        _, k, if_true, if_false = step

        def jump(label):
            return 0 if label is None else position[label] - index - 1

        out.append(struct.pack('HBBI', codes[step[0]], jump(if_true), jump(if_false), k))
    for name in order:
        out.append(struct.pack('HBBI', _RET, 0, 0, labels[name][0]))
    return b''.join(out)


_compiled = {}


def filter_fd(single_process):
    """A readable descriptor holding the compiled filter, or ``None`` on a
    machine this module has no system call numbers for.  The caller closes
    it after starting the supervisor."""
    code = _compiled.get(single_process)
    if code is None:
        spec = _ARCHES.get(platform.machine())
        if spec is None:
            return None
        code = _compiled[single_process] = _assemble(_program(*spec, single_process))
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, code)
    finally:
        os.close(write_end)
    return read_end
