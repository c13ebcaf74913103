"""Fresh network namespaces made ahead of the isolated runs that use them.

Making a network namespace is the most expensive part of starting a
sandbox that bubblewrap does (``--unshare-net``, more than a millisecond:
the kernel sets up every network protocol for it).  A worker that is root
makes the namespace of its next run while the current one runs, in a
short-lived thread of its own (only that thread moves into it), with its
loopback interface up, and keeps it by a descriptor.  The run's
bubblewrap is then started from a thread that entered that namespace for
the moment of the ``fork`` (:func:`entered`), without ``--unshare-net``.

Every namespace serves exactly one run: it is handed out once
(:func:`take`), its descriptor closed once the run's bubblewrap holds it,
and it goes with that run's last process; nothing of a run (sockets in
``TIME_WAIT``, the counters of its loopback interface) is ever seen by
another.  A forked worker drops the namespaces it inherited.  A worker
that is not root cannot enter a namespace of the machine's: bubblewrap
makes its namespace as before.
"""

import contextlib
import fcntl
import os
import socket
import struct
import threading

from sio.workers.exceptions import Failure
from sio.workers.process._libc import errno as _errno
from sio.workers.process._libc import libc as _c

_CLONE_NEWNET = 0x40000000
_SIOCGIFFLAGS = 0x8913
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1
#: How many namespaces are kept ready.
READY = 1

_wake = threading.Condition(threading.Lock())
_ready = []  # descriptors of fresh namespaces
_maker = None  # the thread making them, or None
_owner = None  # pid the descriptors belong to


def _error(what):
    error = _errno()
    return OSError(error, '%s: %s' % (what, os.strerror(error)))


def _forget_inherited():
    """In a forked child: the parent's namespaces are not its own, and the
    parent's maker thread is not running here."""
    global _maker, _owner, _wake
    for fd in _ready:
        try:
            os.close(fd)
        except OSError:
            pass
    del _ready[:]
    _maker = None
    _owner = os.getpid()
    _wake = threading.Condition(threading.Lock())  # the parent's may be held


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_forget_inherited)


def available():
    """Whether this worker makes its runs' network namespaces."""
    return os.geteuid() == 0


def _make():
    """A descriptor of a new network namespace, its loopback up.  Call it
    only in a thread that ends right after (it stays in the namespace)."""
    if _c().unshare(_CLONE_NEWNET) != 0:
        raise _error('unshare')
    fd = os.open('/proc/thread-self/ns/net', os.O_RDONLY | os.O_CLOEXEC)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            request = struct.pack('16sH22x', b'lo', 0)
            flags = struct.unpack('16sH22x', fcntl.ioctl(s, _SIOCGIFFLAGS, request))[1]
            fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack('16sH22x', b'lo', flags | _IFF_UP))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _make_in_thread():
    """:func:`_make` in a thread of its own; the descriptor."""
    made = []

    def work():
        try:
            made.append(_make())
        except BaseException as e:  # reported to the caller
            made.append(e)

    thread = threading.Thread(target=work, name='sio-netns', daemon=True)
    thread.start()
    thread.join()
    if isinstance(made[0], BaseException):
        raise made[0]
    return made[0]


def _keep_ready(pid):
    """The body of the maker thread: makes a namespace whenever fewer than
    :data:`READY` are ready.  The thread itself moves into each one it
    makes, and does nothing else."""
    global _maker
    while True:
        with _wake:
            while _owner == pid and len(_ready) >= READY:
                _wake.wait()
            if _owner != pid:
                return
        try:
            fd = _make()
        except BaseException:
            with _wake:
                if _owner == pid:
                    _maker = None  # take() makes them; prepare() tries again
            return
        with _wake:
            if _owner == pid and len(_ready) < READY:
                _ready.append(fd)
                fd = None
        if fd is not None:
            os.close(fd)


def take():
    """A descriptor of a fresh network namespace for one run (the caller
    closes it); a ready one when there is one, else one made now."""
    with _wake:
        if _owner != os.getpid():
            _forget_inherited()
        fd = _ready.pop() if _ready else None
    if fd is None:
        try:
            fd = _make_in_thread()
        except OSError as e:
            raise Failure('cannot make the network namespace of an isolated run: %s'
                          % e.strerror)
    return fd


def prepare():
    """Has the namespace of the next run made while this one runs."""
    global _maker
    with _wake:
        if _owner != os.getpid():
            return
        if _maker is None:
            _maker = threading.Thread(target=_keep_ready, args=(_owner,),
                                      name='sio-netns-ahead', daemon=True)
            _maker.start()
        else:
            _wake.notify()


@contextlib.contextmanager
def entered(fd):
    """This thread in the namespace ``fd`` (what it forks starts there),
    and back in its own afterwards."""
    own = os.open('/proc/thread-self/ns/net', os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _c().setns(fd, _CLONE_NEWNET) != 0:
            raise Failure('cannot enter the network namespace of an isolated run: %s'
                          % os.strerror(_errno()))
        try:
            yield
        finally:
            if _c().setns(own, _CLONE_NEWNET) != 0:
                raise Failure('cannot return to the worker\'s network namespace: %s'
                              % os.strerror(_errno()))
    finally:
        os.close(own)
