"""Isolated runs: the bubblewrap command line behind ``Isolation``.

The program runs as ``bwrap [sandbox] -- supervisor [limits] -- argv``.
bubblewrap, started by root, builds the sandbox without a user namespace
(started by an ordinary user, in the worker's own user namespace, see
:mod:`.userns`), with a fresh PID namespace whose first process is
bubblewrap's own small init; the supervisor (read-only in the sandbox, in
its copy of /etc or, in a sandbox root of its own, bound at
:data:`~sio.workers.process.supervisor.SANDBOX_PATH`; a static binary, so
it runs in any sandbox root) keeps only :data:`SUPERVISOR_CAPS`, sets the
limits, the slot user and the seccomp filter on the program alone, and
reports on it.  The program is an
ordinary process of the namespace: it gets the signals it sends itself
(``abort()`` is ``SIGABRT``), and its exit code is its own.  When the init
ends, every process of the namespace dies.
"""

import os
import shutil
import time

from sio.workers.exceptions import Failure
from sio.workers.process import _dev, _netns, running, supervisor
from sio.workers.process.limits import MAX_TASKS

#: Host directories bound read-only when no root file system is given;
#: symbolic links among them (merged /usr) are recreated as links.
SYSTEM_DIRS = ('/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32')
#: The few files of /etc that programs and runtimes need at run time (the
#: dynamic linker's cache, the links behind ``java``, the time zone, user
#: names); the rest of /etc (keys, passwords) stays out of sight.  They are
#: copied once (:mod:`._etc`) and bound as the sandbox's /etc.
SYSTEM_ETC = ('/etc/ld.so.cache', '/etc/alternatives', '/etc/localtime', '/etc/passwd',
              '/etc/group')

#: Prefixes of further /etc entries bound read-only: compilers' and
#: runtimes' configuration.
SYSTEM_ETC_PREFIXES = ('java-', 'fpc')

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


#: The supervisor's name in the sandbox's /etc (see :func:`_system_binds`).
ETC_SUPERVISOR = '.sio-supervisor'


def supervisor_in_sandbox(isolation):
    """Where the supervisor is in the sandbox of ``isolation``: in the copy
    of /etc when the host's system directories are used, else bound at
    :data:`~sio.workers.process.supervisor.SANDBOX_PATH`."""
    if isolation.root is None:
        return '/etc/' + ETC_SUPERVISOR
    return supervisor.SANDBOX_PATH


def _system_binds(supervisor_path):
    """Binds of the host's system directories (computed once per process)
    and of the copy of what programs need of its /etc, which holds a copy
    of the supervisor too: a bind fewer, and bubblewrap reads the whole
    mount table again for every bind."""
    global _system_args
    if _system_args is None:
        args = []
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                args += ['--symlink', os.readlink(path), path]
            elif os.path.isdir(path):
                args += ['--ro-bind', path, path]
        _system_args = args
    from sio.workers.process import _etc

    etc = _etc.copy_dir(SYSTEM_ETC, SYSTEM_ETC_PREFIXES,
                        extra=((supervisor_path, ETC_SUPERVISOR),))
    return _system_args + ['--ro-bind', etc, '/etc']


def _root_binds(root, mount_points):
    """Binds of the entries of ``root``, read-only.

    bubblewrap cannot create a mount point (the working directory) inside a
    read-only bind, and a whole root file system has its own ``/tmp``: the
    folders on the way to a path in ``mount_points`` are therefore made in
    the sandbox's own root and their entries bound one by one.
    """
    if not os.path.isdir(root):
        raise Failure('sandbox root %r is not a directory' % (root,))
    return _folder_binds(root, '/', [os.path.abspath(p) for p in mount_points])


def _folder_binds(source, target, mount_points):
    args = []
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        inside = os.path.join(target, entry.name)
        if target == '/' and entry.name in ('dev', 'proc'):
            continue
        bound_here = inside in mount_points
        on_the_way = any(p.startswith(inside + '/') for p in mount_points)
        if entry.is_symlink():
            if not (bound_here or on_the_way):  # else the bound path replaces it
                args += ['--symlink', os.readlink(entry.path), inside]
        elif bound_here:
            args += ['--dir', inside]
        elif on_the_way and entry.is_dir(follow_symlinks=False):
            args += ['--dir', inside] + _folder_binds(entry.path, inside, mount_points)
        else:
            args += ['--ro-bind', entry.path, inside]
    return args


#: Capabilities the supervisor keeps inside a slot's sandbox: to switch the
#: program to the slot's user and to kill what it leaves behind.  The
#: program itself has none.
SUPERVISOR_CAPS = ('CAP_SETUID', 'CAP_SETGID', 'CAP_KILL')


def _user_args(namespace_fd):
    """bubblewrap, started by root, makes no user namespace: the supervisor
    runs as root with :data:`SUPERVISOR_CAPS` only, and the program as its
    slot's host user.  Started by another user, it enters that user's
    namespace (``namespace_fd``), where the supervisor is root with the
    same capabilities and the slot's uid the same host uid."""
    args = ['--cap-drop', 'ALL']
    if namespace_fd is not None:
        args = ['--userns', str(namespace_fd)] + args
    for cap in SUPERVISOR_CAPS:
        args += ['--cap-add', cap]
    return args


def bwrap_args(cwd, isolation, supervisor_path, scratch=None, namespace_fd=None,
               own_network=False):
    """The command line up to the supervisor.  ``scratch``: a folder bound
    as the working directory (the worker's tmpfs, or ``isolation.workdir``);
    without one, in a user namespace, ``isolation.scratch_bytes`` is a
    tmpfs of bubblewrap's own.  ``own_network``: bubblewrap is started in
    a fresh network namespace made for the run (:mod:`._netns`)."""
    args = [_tool('bwrap', 'bubblewrap')] + _user_args(namespace_fd) + [
        '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
        '--die-with-parent', '--new-session']
    if not isolation.network and not own_network:
        args.append('--unshare-net')
    if isolation.root is not None:
        args += _root_binds(isolation.root,
                            (cwd,) + tuple(isolation.writable) + tuple(isolation.readonly))
    else:
        args += _system_binds(supervisor_path)
    dev = _dev.tree() if namespace_fd is None else None
    if dev is not None:
        args += ['--dev-bind', dev, '/dev']  # read-only already (see _dev)
    else:
        args += ['--dev', '/dev']
    args += ['--proc', '/proc']
    made = set()
    args += _parents((cwd,), isolation, cwd, made)
    if scratch is not None:
        # A fresh, bounded working directory covering whatever is at the
        # caller's cwd; only files bound below make it into it.
        args += ['--bind', scratch, cwd]
    elif isolation.scratch_bytes is not None:
        # The worker cannot mount one: bubblewrap's, bounded in size only.
        from sio.workers.process._scratch import MIN_BYTES

        size = max(int(isolation.scratch_bytes), MIN_BYTES)
        args += ['--perms', '1777', '--size', str(size), '--tmpfs', cwd]
    args += _parents(tuple(isolation.readonly) + tuple(isolation.writable), isolation, cwd,
                     made)
    for path in isolation.readonly:
        path = os.path.abspath(path)
        args += ['--ro-bind', path, path]
    binds = tuple(isolation.writable)
    if _cwd_bound(isolation):
        binds = (cwd,) + binds
    for path in binds:
        path = os.path.abspath(path)
        args += ['--bind', path, path]
    if isolation.root is not None:
        args += ['--ro-bind', supervisor_path, supervisor.SANDBOX_PATH]
    # Nothing outside the bound directories is writable, not even the
    # sandbox's own (in-memory) root, /proc or /dev (and its /dev/shm).
    args += ['--remount-ro', '/', '--remount-ro', '/proc']
    if dev is None:
        args += ['--remount-ro', '/dev']
    return args + ['--chdir', isolation.chdir or cwd, '--']


def _cwd_bound(isolation):
    """Whether the caller's cwd itself is the program's working directory."""
    return isolation.scratch_bytes is None and isolation.workdir is None


def _parents(paths, isolation, cwd, made):
    """``--dir`` of the folders on the way to ``paths``, which bubblewrap
    would otherwise make with mode 0700, shutting the program's user out
    of its own files.  Folders inside a host directory that is bound are
    left alone."""
    bound = list(isolation.writable)
    if _cwd_bound(isolation):
        bound.append(cwd)
    if isolation.root is None:
        bound += list(SYSTEM_DIRS) + ['/etc']
    bound = [os.path.abspath(b) for b in bound]
    args = []
    for path in paths:
        parent = os.path.dirname(os.path.abspath(path))
        chain = []
        while parent != '/' and parent not in made:
            chain.append(parent)
            parent = os.path.dirname(parent)
        for folder in reversed(chain):
            made.add(folder)
            if not any(folder == b or folder.startswith(b + '/') for b in bound):
                args += ['--perms', '0755', '--dir', folder]
    return args


def _slot_for(isolation):
    """(the slot the program runs as, the slot to release after the run or
    ``None``)."""
    slot = isolation.slot
    if slot is True:
        from sio.workers.process import slots

        slot = slots.acquire()
        return slot, slot
    if not slot.held:
        raise Failure('isolated run: %r was released already' % (slot,))
    return slot, None


def _tasks(limits):
    """``RLIMIT_NPROC`` of a slot's program: its processes and threads."""
    if limits.processes is None or limits.processes == 1:
        return MAX_TASKS
    return limits.processes


def start(argv, limits, cwd, streams, env, isolation, to_close, extra_fds=()):
    from sio.workers.process import _scratch, _seccomp

    supervisor_path = supervisor.binary_path()
    namespace_fd = None
    if os.geteuid() != 0:
        from sio.workers.process import userns

        namespace_fd = userns.fd()
    slot, own_slot = _slot_for(isolation)
    scratch = network = None
    try:
        if isolation.scratch_bytes is not None and namespace_fd is None:
            scratch = _scratch.mount(slot, isolation.scratch_bytes)
        if not isolation.network and namespace_fd is None and _netns.available():
            network = _netns.take()
        command = bwrap_args(cwd, isolation, supervisor_path, scratch or isolation.workdir,
                             namespace_fd, own_network=network is not None)
        seccomp_fd = _seccomp.filter_fd(single_process=limits.processes == 1)
        pass_fds = tuple(extra_fds)
        if namespace_fd is not None:
            pass_fds += (namespace_fd,)
        if seccomp_fd is not None:
            to_close.append(seccomp_fd)
            pass_fds += (seccomp_fd,)
        channel = running.Channel()
        command += supervisor.command(
            limits, channel.result_write, channel.control_read, seccomp_fd,
            path=supervisor_in_sandbox(isolation), slot=slot, tasks=_tasks(limits),
            close_fd=namespace_fd)
        if network is not None:
            with _netns.entered(network):
                popen = running.spawn(command + argv, cwd, streams, env, channel, pass_fds)
        else:
            popen = running.spawn(command + argv, cwd, streams, env, channel, pass_fds)
    except BaseException:
        _after_run(scratch, own_slot)
        raise
    finally:
        if network is not None:
            os.close(network)  # the run's bubblewrap holds it now
    if network is not None:
        _netns.prepare()  # the next run's, while this one runs
    program = running.RunningProgram(popen, limits, time.monotonic(), streams[1],
                                     channel, argv[0], starter='the sandbox')
    program.after_run = lambda: _after_run(scratch, own_slot)
    return program


def _after_run(scratch, own_slot):
    """Unmounts the run's working directory, then releases its slot."""
    from sio.workers.process import _scratch

    try:
        if scratch is not None:
            _scratch.unmount(scratch)
    finally:
        if own_slot is not None:
            own_slot.release()
