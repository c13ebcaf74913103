"""A seccomp filter that confines an isolated program to one process.

The supervisor loads it (``--seccomp-fd FD``) in the program's process
just before it executes the program, so the supervisor itself may still
fork.
Creating a process (``fork``, ``vfork``, ``clone`` without
``CLONE_THREAD``) kills the program with ``SIGSYS``, which the executors
report as a rule violation; threads stay allowed (runtimes such as the JVM
need them).  ``clone3`` answers ``ENOSYS``, because its flags cannot be
inspected by a filter and the C library then falls back to ``clone``.
System calls of another ABI (32-bit, x32) are refused in the same way.

The kernel does not apply ``RLIMIT_NPROC`` to root, so this filter is
what stops a fork bomb there.
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
_CLONE_THREAD = 0x00010000

_OFFSET_NR = 0
_OFFSET_ARCH = 4
_OFFSET_ARG0 = 16  # the low half of args[0], on little-endian machines

# machine -> (audit arch, {name: number}, lowest number of a foreign ABI)
_ARCHES = {
    'x86_64': (0xC000003E, {'fork': 57, 'vfork': 58, 'clone': 56, 'clone3': 435},
               0x40000000),
    'aarch64': (0xC00000B7, {'clone': 220, 'clone3': 435}, None),
}


def _program(arch, numbers, foreign_abi):
    """The filter as (code, jump-if-true label, jump-if-false label, k)."""
    steps = [('ld', _OFFSET_ARCH), ('jeq', arch, None, 'kill'), ('ld', _OFFSET_NR)]
    if foreign_abi is not None:
        steps.append(('jge', foreign_abi, 'kill', None))
    for name in ('fork', 'vfork'):
        if name in numbers:
            steps.append(('jeq', numbers[name], 'kill', None))
    steps += [
        ('jeq', numbers['clone3'], 'enosys', None),
        ('jeq', numbers['clone'], None, 'allow'),
        ('ld', _OFFSET_ARG0),
        ('jset', _CLONE_THREAD, 'allow', 'kill'),
    ]
    return steps


def _assemble(steps):
    labels = {'allow': (_RET_ALLOW,), 'kill': (_RET_KILL_PROCESS,),
              'enosys': (_RET_ERRNO | _ENOSYS,)}
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


_compiled = None


def single_process_filter_fd():
    """A readable descriptor holding the compiled filter, or ``None`` on a
    machine this module has no system call numbers for.  The caller closes
    it after starting the supervisor."""
    global _compiled
    if _compiled is None:
        spec = _ARCHES.get(platform.machine())
        if spec is None:
            return None
        _compiled = _assemble(_program(*spec))
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, _compiled)
    finally:
        os.close(write_end)
    return read_end
