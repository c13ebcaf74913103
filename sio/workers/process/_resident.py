"""A resident supervisor for unprotected runs: ``sio-supervisor --serve``.

Starting the supervisor for every run costs the worker a fork of itself and
an ``execve`` of the supervisor, about as much as a small program's whole
run.  Instead each worker process starts one supervisor on its first
unprotected run and keeps it.  It keeps a fork of itself waiting for the
next run, so that no fork is on the way of a run: the fork that takes a run
does what ``sio-supervisor OPTIONS -- PROGRAM`` would have done, with the
same descriptors, directory and environment (see ``supervisor_serve.c``),
and the next one is forked while the run goes on.
It ends with the socket to it, that is with the worker process, and a
worker process that forked starts its own.

The run's process is not a child of the worker: it is waited for through
a process descriptor that the run's process made of itself and sent with
its PID, so it names that process however soon it ends.
"""

import array
import os
import socket
import threading

#: Most descriptors one run is given; larger requests are made the usual way.
MAX_PASSED = 16
#: Largest request (its command line and environment) sent.
MAX_REQUEST = 64 * 1024

_lock = threading.Lock()
_server = None  # (owning PID, supervisor path, socket, the resident's PID)


class Run:
    """A run started by the resident supervisor."""

    def __init__(self, pid, pidfd):
        self.pid = pid
        #: Readable once the run's process ended, whoever reaped it.
        self.pidfd = pidfd


def _request(argv, cwd, env, fds):
    """The request's bytes, or ``None`` when it cannot be sent."""
    strings = [' '.join(str(target) for _, target in fds), cwd, str(len(env))]
    strings += ['%s=%s' % (os.fsdecode(k), os.fsdecode(v)) for k, v in env.items()]
    strings += argv
    data = b''.join(os.fsencode(s) + b'\0' for s in strings)
    if len(fds) > MAX_PASSED or len(data) > MAX_REQUEST or \
            any(b'\0' in os.fsencode(s) for s in strings):
        return None
    return data


def _alive(server):
    owner, _, _, pid = server
    if owner != os.getpid():
        return False  # a fork's copy: the resident is its parent's
    try:
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return False


def _forget():
    """Drops the resident supervisor (it ends once the last copy of its
    socket is closed)."""
    global _server
    if _server is not None:
        _server[2].close()
        _server = None


def _resident(path):
    """The socket to this process's resident supervisor (``path``), started
    if needed; ``None`` when none can be started."""
    global _server
    if _server is not None:
        if _server[1] == path and _alive(_server):
            return _server[2]
        _forget()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        pid = os.posix_spawn(
            path, [path, '--serve', str(theirs.fileno())], {},
            file_actions=[(os.POSIX_SPAWN_OPEN, 0, '/dev/null', os.O_RDWR, 0),
                          (os.POSIX_SPAWN_DUP2, 0, 1), (os.POSIX_SPAWN_DUP2, 0, 2),
                          (os.POSIX_SPAWN_DUP2, theirs.fileno(), theirs.fileno())],
            setsid=True, setsigmask=())
    except OSError:
        ours.close()
        return None
    finally:
        theirs.close()
    _server = (os.getpid(), path, ours, pid)
    return ours


def start(path, argv, cwd, env, fds):
    """Starts ``argv`` (the supervisor's command line) in ``cwd`` with
    ``env`` and the descriptors ``fds`` ((descriptor, number it takes), the
    result pipe first); a :class:`Run`, or ``None`` when the run is to be
    started the usual way.  Raises :class:`OSError` when the resident
    supervisor could not make the run's process."""
    data = _request(argv, cwd, env, fds)
    if data is None or not hasattr(os, 'pidfd_open'):
        return None
    passed = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [fd for fd, _ in fds]))]
    with _lock:
        for _ in range(2):  # a second time with a new resident
            sock = _resident(path)
            if sock is None:
                return None
            pidfds = []
            try:
                sock.sendmsg([data], passed)
                answer, pidfds, _, _ = socket.recv_fds(sock, 64, 1)
                answer = answer.decode('ascii', 'replace')
            except OSError:
                answer = ''
            if answer.isdigit() and len(pidfds) == 1:
                return Run(int(answer), pidfds[0])
            for fd in pidfds:
                os.close(fd)
            if answer.startswith('error='):
                raise OSError(int(answer[6:]), os.strerror(int(answer[6:])))
            _alive(_server)  # it died: reaped here, and another started
            _forget()
    return None
