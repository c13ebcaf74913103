"""The worker's user namespace: isolated runs by a worker that is not root.

Root starts bubblewrap without a user namespace, and the supervisor
switches the program to its slot's host uid.  An ordinary user cannot
switch to another uid; but in a user namespace of its own it can map,
beside itself (id 0 inside), the subordinate ids that root gave it in
``/etc/subuid`` and ``/etc/subgid``.  ``newuidmap`` and ``newgidmap``
(Debian package ``uidmap``) write that mapping.  The slots' range is
mapped onto itself, so a slot uid inside is the same host uid; the
supervisor, root of the namespace with ``CAP_SETUID`` and ``CAP_SETGID``
only, switches the program to it exactly as it does under root, and the
program is then a host user that owns nothing.

One namespace serves every run of a worker process: made on first use by
a short-lived child that unshares it and waits while this process writes
its mapping, then kept by a descriptor (:func:`fd`), which bubblewrap
enters with ``--userns``.  A forked process makes its own.

Root of the namespace also has power over the inodes whose owners are
mapped: the worker's own files and its slots'.  :func:`call` runs a
function with that power, in a forked child that enters the namespace:
handing a folder to a slot user, reading or removing what a program left
there whatever the modes it gave it.  When the worker is root,
:func:`call` just calls the function.
"""

import os

from sio.workers.exceptions import Failure
from sio.workers.process import slots
from sio.workers.process._libc import errno as _errno
from sio.workers.process._libc import libc as _c

_CLONE_NEWUSER = 0x10000000
_TOOL_PATH = '/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin'
#: The largest answer :func:`call` takes back from its child.
_ANSWER_BYTES = 1 << 20

_namespace = None  # (pid of the process it is for, descriptor, (st_dev, st_ino))


def needed():
    """Whether isolated runs go through a user namespace: the worker is
    not root."""
    return os.geteuid() != 0


def fd():
    """The descriptor of this process's user namespace, made on first use;
    :class:`Failure` saying what the machine lacks when it cannot be made."""
    global _namespace
    pid = os.getpid()
    if _namespace is not None and _namespace[0] == pid:
        return _namespace[1]
    if _namespace is not None:  # inherited through fork()
        _close_inherited(*_namespace[1:])
        _namespace = None
    descriptor = _make(slots.uid_range())
    info = os.fstat(descriptor)
    _namespace = (pid, descriptor, (info.st_dev, info.st_ino))
    return descriptor


def _close_inherited(descriptor, identity):
    try:
        info = os.fstat(descriptor)
    except OSError:
        return
    if (info.st_dev, info.st_ino) == identity:
        os.close(descriptor)


def _tool(name):
    import shutil

    path = shutil.which(name, path=_TOOL_PATH)
    if path is None:
        raise Failure('isolated runs by a worker that is not root need %r, which is not '
                      'installed: install the Debian package \'uidmap\' (apt-get install '
                      'uidmap)' % name)
    return path


def _make(ids):
    slots.check_subordinate(ids)
    tools = _tool('newuidmap'), _tool('newgidmap')
    _c()  # loaded here, not in every child
    ready_read, ready_write = os.pipe()
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        _unshare_and_wait(ready_write, done_read, (ready_read, done_write))
    os.close(ready_write)
    os.close(done_read)
    try:
        answer = os.read(ready_read, 512)
        if answer != b'ok':
            raise Failure('the kernel refuses this user a user namespace (%s): isolated runs '
                          'by a worker that is not root need one (see the sysctl '
                          'user.max_user_namespaces, and kernel.unprivileged_userns_clone '
                          'or an AppArmor rule where the kernel has them)'
                          % answer.decode('ascii', 'replace'))
        for tool, own in zip(tools, (os.getuid(), os.getgid())):
            _map(tool, pid, own, ids)
        return os.open('/proc/%d/ns/user' % pid, os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(ready_read)
        os.close(done_write)
        os.waitpid(pid, 0)


def _unshare_and_wait(ready_write, done_read, parents_ends):
    """The child of :func:`_make`: never returns."""
    try:
        for end in parents_ends:
            os.close(end)
        if _c().unshare(_CLONE_NEWUSER) == 0:
            os.write(ready_write, b'ok')
        else:
            os.write(ready_write, os.strerror(_errno()).encode())
        os.read(done_read, 1)  # until the parent has the namespace
    finally:
        os._exit(0)


def _map(tool, pid, own, ids):
    import subprocess

    argv = [tool, str(pid), '0', str(own), '1', str(ids[0]), str(ids[0]), str(len(ids))]
    completed = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        raise Failure('%s could not map the slots of isolated runs (%s): %s'
                      % (os.path.basename(tool), ' '.join(argv[2:]),
                         completed.stdout.decode('utf-8', 'replace').strip()[-300:]))


def call(function, *args):
    """``function(*args)`` with power over the files of the worker and of
    its slots: called here when the worker is root, else in a child that
    enters :func:`fd`'s namespace as its root.  The child's return value
    or exception (both pickled) is this call's."""
    if not needed():
        return function(*args)
    return _in_namespace(function, args, False)


def call_for_fd(function, *args):
    """Like :func:`call`, for a ``function`` that returns a descriptor:
    the child sends it back, and the caller closes it."""
    if not needed():
        return function(*args)
    return _in_namespace(function, args, True)


def _in_namespace(function, args, sends_fd):
    import pickle
    import socket

    namespace = fd()
    _c()
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        pid = os.fork()
        if pid == 0:
            mine.close()
            _answer(theirs, namespace, function, args, sends_fd)
        theirs.close()
        try:
            message, fds, _, _ = socket.recv_fds(mine, _ANSWER_BYTES, 1)
        finally:
            os.waitpid(pid, 0)
    finally:
        mine.close()
        theirs.close()
    if not message:
        raise Failure('a helper of isolated runs in the worker\'s user namespace ended '
                      'without an answer')
    ok, value = pickle.loads(message)
    if not ok:
        raise value
    return fds[0] if sends_fd else value


def _answer(channel, namespace, function, args, sends_fd):
    """The child of :func:`_in_namespace`: never returns."""
    import pickle
    import socket

    try:
        fds = []
        try:
            if _c().setns(namespace, _CLONE_NEWUSER) != 0:
                error = _errno()
                raise OSError(error, 'cannot enter the worker\'s user namespace: %s'
                              % os.strerror(error))
            outcome = (True, function(*args))
            if sends_fd:
                fds, outcome = [outcome[1]], (True, None)
        except BaseException as e:  # noqa: B902 -- everything goes to the parent
            outcome = (False, e)
        try:
            data = pickle.dumps(outcome)
        except Exception as e:
            data = pickle.dumps((False, Failure('%s (the helper\'s answer could not be '
                                                'sent: %s)' % (outcome[1], e))))
        socket.send_fds(channel, [data], fds)
    finally:
        os._exit(0)


__all__ = ['call', 'call_for_fd', 'fd', 'needed']
