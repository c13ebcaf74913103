"""Isolated runs: the bubblewrap command line behind ``Isolation``.

The program runs as ``prlimit [limits] -- bwrap [sandbox] -- argv``:
``prlimit`` (util-linux) sets the resource limits before bubblewrap starts,
so every process of the sandbox inherits them; bubblewrap then builds the
sandbox and runs the program as the first process of a fresh PID
namespace, so that every other process of the namespace dies with it.

As the init of its namespace, the program ignores signals that it has no
handler for, unless the kernel forces them: faults (SIGSEGV, SIGFPE,
SIGBUS, SIGILL, SIGSYS) and SIGKILL still end it, but ``abort()`` ends in
SIGSEGV rather than SIGABRT, and the soft CPU limit's SIGXCPU is ignored
(the hard limit's SIGKILL follows a second later).
"""

import json
import os
import shutil
import time

from sio.workers.exceptions import Failure

#: The user and group the program runs as inside its user namespace.
SANDBOX_UID = 65534
#: Host directories bound read-only when no root file system is given;
#: symbolic links among them (merged /usr) are recreated as links.
SYSTEM_DIRS = ('/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32')
#: The few files of /etc that programs and runtimes (the dynamic linker, a
#: JVM) need; the rest of /etc (keys, passwords) stays out of sight.
SYSTEM_ETC = ('/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d',
              '/etc/alternatives', '/etc/localtime', '/etc/passwd', '/etc/group',
              '/etc/nsswitch.conf')
#: bubblewrap reports a program killed by signal N as exit status 128 + N.
_SIGNAL_BASE = 128

_tools = {}
_system_args = None


def _tool(name, package):
    path = _tools.get(name)
    if path is None:
        path = shutil.which(name, path='/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin')
        if path is None:
            raise Failure('isolated runs need %r, which is not installed: install the '
                          'Debian package %r (apt-get install %s)' % (name, package, package))
        _tools[name] = path
    return path


def _system_binds():
    """Binds of the host's system directories, computed once per process."""
    global _system_args
    if _system_args is None:
        args = []
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                args += ['--symlink', os.readlink(path), path]
            elif os.path.isdir(path):
                args += ['--ro-bind', path, path]
        for path in SYSTEM_ETC:
            args += ['--ro-bind-try', path, path]
        for name in sorted(os.listdir('/etc')):
            if name.startswith('java-'):  # JVM configuration
                args += ['--ro-bind', '/etc/' + name, '/etc/' + name]
        _system_args = args
    return _system_args


def _root_binds(root):
    """Binds of each top-level entry of ``root``, so that mount points for
    the working directory can still be created in the sandbox's own root."""
    if not os.path.isdir(root):
        raise Failure('sandbox root %r is not a directory' % (root,))
    args = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        target = '/' + entry.name
        if entry.name in ('dev', 'proc'):
            continue
        if entry.is_symlink():
            args += ['--symlink', os.readlink(entry.path), target]
        else:
            args += ['--ro-bind', entry.path, target]
    return args


def prlimit_args(limits):
    import resource

    names = {resource.RLIMIT_CPU: 'cpu', resource.RLIMIT_AS: 'as',
             resource.RLIMIT_FSIZE: 'fsize', resource.RLIMIT_NPROC: 'nproc',
             resource.RLIMIT_CORE: 'core'}
    args = [_tool('prlimit', 'util-linux')]
    for which, (soft, hard) in limits.rlimits():
        args.append('--%s=%d:%d' % (names[which], soft, hard))
    return args + ['--']


def bwrap_args(cwd, isolation, info_fd, seccomp_fd=None):
    args = [_tool('bwrap', 'bubblewrap'),
            '--unshare-user', '--uid', str(SANDBOX_UID), '--gid', str(SANDBOX_UID),
            '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
            '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
            # The program itself is the namespace's init: bubblewrap then reaps
            # it, so its CPU time and memory reach our wait4 (bubblewrap's own
            # init is never reaped by the outer process).  As init it takes
            # every process it started down with it.
            '--as-pid-1']
    if not isolation.network:
        args.append('--unshare-net')
    if isolation.root is not None:
        args += _root_binds(isolation.root)
    else:
        args += _system_binds()
    args += ['--dev', '/dev', '--proc', '/proc']
    for path in isolation.readonly:
        path = os.path.abspath(path)
        args += ['--ro-bind', path, path]
    for path in (cwd,) + tuple(isolation.writable):
        path = os.path.abspath(path)
        args += ['--bind', path, path]
    # Nothing outside the bound directories is writable, not even the
    # sandbox's own (in-memory) root.
    args += ['--remount-ro', '/', '--chdir', isolation.chdir or cwd,
             '--info-fd', str(info_fd)]
    if seccomp_fd is not None:
        args += ['--seccomp', str(seccomp_fd)]
    return args + ['--']


class SandboxInfo:
    """bubblewrap's report of the sandbox's first process, read lazily."""

    def __init__(self, read_fd):
        self._fd = read_fd
        self._pid = None

    def pid(self):
        """The PID (in our namespace) of the sandbox's init, or ``None``."""
        if self._pid is None and self._fd is not None:
            data = b''
            deadline = time.monotonic() + 0.5
            os.set_blocking(self._fd, False)
            while time.monotonic() < deadline:
                try:
                    chunk = os.read(self._fd, 4096)
                except BlockingIOError:
                    if b'}' in data:
                        break
                    time.sleep(0.001)
                    continue
                if not chunk:
                    break
                data += chunk
            try:
                self._pid = json.loads(data.decode())['child-pid']
            except (ValueError, KeyError, UnicodeDecodeError):
                self._pid = None
        return self._pid

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def decode_status(exit_code, signum):
    """Turns bubblewrap's 128 + N back into "killed by signal N"."""
    if exit_code is not None and _SIGNAL_BASE < exit_code < _SIGNAL_BASE + 65:
        return None, exit_code - _SIGNAL_BASE
    return exit_code, signum


def start(argv, limits, cwd, streams, env, isolation, to_close):
    from sio.workers import process

    info_read, info_write = os.pipe()
    to_close.append(info_write)
    pass_fds = [info_write]
    seccomp_fd = None
    if limits.processes == 1:
        try:
            from sio.workers import _seccomp
        except ImportError:
            _seccomp = None
        seccomp_fd = _seccomp.single_process_filter_fd() if _seccomp else None
        if seccomp_fd is not None:
            to_close.append(seccomp_fd)
            pass_fds.append(seccomp_fd)
    command = bwrap_args(cwd, isolation, info_write, seccomp_fd) + argv
    if any(which for which in limits.rlimits()[1:]):
        command = prlimit_args(limits) + command
    info = SandboxInfo(info_read)
    inherited_kib = process.inherited_peak_kib()
    try:
        popen = process._spawn(command, cwd, streams, env, pass_fds=tuple(pass_fds))
    except BaseException:
        info.close()
        raise
    return process.RunningProgram(popen, limits, time.monotonic(), streams[1],
                                  sandbox=info, exit_status_decoder=decode_status,
                                  inherited_kib=inherited_kib)
