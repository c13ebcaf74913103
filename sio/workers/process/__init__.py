"""Running a program under limits: the one mechanism behind every job that
runs anything (executors, checkers, compilers, ``execute()``).

Every program runs under the *supervisor* (:mod:`sio.workers.process.supervisor`),
a small static C program that starts it with its limits already set,
watches its CPU time, measures it, and kills everything it left behind.

Two ways to run:

* *unprotected* (``isolation=None``): resource limits only, for trusted
  programs: ``supervisor -- program``.  Every process the program started
  dies when it ends, also those that moved to another process group or
  session.
* *isolated* (an :class:`Isolation`): the same inside bubblewrap --
  ``bwrap ... -- supervisor -- program`` -- as a slot user of its own
  (:mod:`sio.workers.process.slots`: a host uid that owns nothing, never
  root or the worker's user), with its own PID, mount, IPC, UTS and
  network namespaces, system directories, ``/proc`` and ``/dev``
  read-only, only the chosen directories writable, no view of the
  caller's files, and it dies with its parent.  A worker that is not
  root runs it through a user namespace of its own
  (:mod:`sio.workers.process.userns`), which needs the slot range among
  its user's subordinate ids.  Without bubblewrap, or without what an
  ordinary user needs, this raises
  :class:`~sio.workers.exceptions.Failure`; it never runs unprotected
  instead.  See "Security model" in the documentation.

What is measured (from the kernel's ``wait4`` accounting of the program and
every process it started): CPU time (user + system), peak resident memory,
and the exit status; and by the supervisor, the wall-clock time from the
program's start to its end (a sandbox's own start-up is not in it).  The
peak starts from the supervisor's own size (well under a MiB), not from the
size of the Python process that asked for the run.

How limits are enforced:

``cpu_ms``
    the supervisor reads the program's CPU clock, sleeping no longer than
    the program needs to use up the rest of its budget on every CPU, and
    kills it at the limit; ``RLIMIT_CPU`` a second above the limit is a
    safety net for every process of the program.  Killed at the limit or
    measured over it, it is over the limit.
``wall_ms``
    the supervisor stops the program at this much wall-clock time from its
    start (the waiting parent :data:`~sio.workers.process.running.WALL_SLACK`
    later, if it was not stopped); also capped by the job's ``job_timeout``.
``memory_kib``
    ``RLIMIT_AS`` (address space), set before the program starts; its stack
    is bounded by that alone (``RLIMIT_STACK`` unlimited).  The program sees
    failing allocations; it is judged over the limit when the supervisor saw
    it try to use more than the limit -- a large request for memory refused,
    a stack that could not grow, an executable too large to load --
    whatever it did next (see "How MLE is told" in the documentation of the
    executors).
``output_bytes``
    ``RLIMIT_FSIZE`` on a standard output that is a file, and the file's
    size compared with the limit.
``file_size_bytes``, ``processes``
    ``RLIMIT_FSIZE``, ``RLIMIT_NPROC``.  An isolated program's
    ``RLIMIT_NPROC`` (its slot user's processes and threads) is
    ``processes``, or :data:`~sio.workers.process.limits.MAX_TASKS` when
    that is unset or 1; with ``processes`` 1 its seccomp filter
    (``_seccomp``) also kills it when it creates a process.
"""

import contextlib
import os
import subprocess

from sio.workers.exceptions import Failure
from sio.workers.process.limits import DEFAULT_PATH, Isolation, Limits, ProgramResult
from sio.workers.process.running import RunningProgram, first_ended

def _open_stream(value, for_reading):
    """(fd for the child, fd to close after start) for a stdin/out/err value."""
    if value is None:
        return subprocess.DEVNULL, None
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if isinstance(value, (str, bytes, os.PathLike)):
        try:
            if for_reading:
                fd = os.open(value, os.O_RDONLY | os.O_CLOEXEC)
            else:
                fd = os.open(value, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC,
                             0o644)
        except OSError as e:
            raise Failure('cannot open %r for the program\'s %s: %s' % (
                value, 'input' if for_reading else 'output', e.strerror))
        return fd, fd
    raise TypeError('a stream must be None, a path or a file descriptor, not %r'
                    % (value,))


def _default_env(cwd):
    return {'PATH': DEFAULT_PATH, 'LANG': 'C.UTF-8', 'HOME': cwd}


def start_program(argv, *, limits=None, cwd=None, stdin=None, stdout=None, stderr=None,
                  env=None, isolation=None, pass_fds=()):
    """Starts ``argv`` under ``limits``; returns a :class:`RunningProgram`.

    ``stdin``/``stdout``/``stderr``: ``None`` (``/dev/null``, discarded),
    a path (read / created and truncated), or a file descriptor; ``stderr``
    may also be ``'stdout'``.  ``env`` defaults to a minimal environment
    (``PATH``, ``LANG=C.UTF-8``, ``HOME`` = ``cwd``).  ``isolation``: an
    :class:`Isolation` to run inside bubblewrap, or ``None``.  ``pass_fds``:
    descriptors the program inherits under the same numbers (pipes to a
    partner program); every other descriptor above 2 is closed.
    """
    if isinstance(argv, str) or not argv or not all(
            isinstance(a, (str, bytes, os.PathLike)) for a in argv):
        raise TypeError('argv must be a non-empty list of strings, not %r' % (argv,))
    argv = [os.fspath(a) for a in argv]
    limits = limits or Limits()
    cwd = os.path.abspath(cwd) if cwd is not None else os.getcwd()
    env = dict(env) if env is not None else _default_env(cwd)
    to_close = []
    try:
        streams = []
        for value, reading in ((stdin, True), (stdout, False)):
            fd, own = _open_stream(value, reading)
            streams.append(fd)
            if own is not None:
                to_close.append(own)
        if stderr == 'stdout':
            streams.append(subprocess.STDOUT)
        else:
            fd, own = _open_stream(stderr, False)
            streams.append(fd)
            if own is not None:
                to_close.append(own)
        if isolation is not None:
            from sio.workers.process import _bwrap

            return _bwrap.start(argv, limits, cwd, streams, env, isolation, to_close,
                                pass_fds)
        from sio.workers.process import running

        program = _resolve(argv[0], env)
        return running.start([program] + argv[1:], limits, cwd, streams, env, pass_fds)
    finally:
        for fd in to_close:
            os.close(fd)


def _resolve(argv0, env):
    if '/' in argv0:
        return argv0  # relative to the program's cwd, where it is started
    import shutil

    found = shutil.which(argv0, path=env.get('PATH', DEFAULT_PATH))
    if found is None:
        raise Failure('program %r not found in PATH %r' % (argv0, env.get('PATH')))
    return found


@contextlib.contextmanager
def scratch_workdir(size_bytes):
    """``with scratch_workdir(n) as (slot, path):`` a slot of its own and a
    fresh in-memory directory of at most ``n`` bytes that its user can
    write, for runs with ``Isolation(workdir=path, slot=slot)``; read what
    they made with :mod:`sio.workers.untrusted`.  Unmounted (its files
    gone) and the slot released at the end.

    A worker that is not root cannot mount one: the directory is then a
    folder of the slot's in a private folder of the worker's temporary
    directory, bounded per file only, and removed at the end."""
    from sio.workers.process import _scratch, slots, userns

    if userns.needed():
        with slots.acquire() as slot, _disk_workdir(slot) as path:
            yield slot, path
        return
    with slots.acquire() as slot:
        path = _scratch.mount(slot, size_bytes)
        try:
            yield slot, path
        finally:
            _scratch.unmount(path)


@contextlib.contextmanager
def _disk_workdir(slot):
    import tempfile

    from sio.workers.process import userns
    from sio.workers.untrusted import remove_tree

    private = tempfile.mkdtemp(prefix='sio-workdir-')
    try:
        path = os.path.join(private, 'work')
        os.mkdir(path, 0o700)
        userns.call(_hand_over, path, slot)
        yield path
    finally:
        userns.call(remove_tree, private)


def _hand_over(path, slot):
    os.chown(path, slot.uid, slot.gid)
    os.chmod(path, 0o755)


def run_program(argv, **kwargs):
    """``start_program(argv, **kwargs).wait()``."""
    return start_program(argv, **kwargs).wait()


__all__ = ['DEFAULT_PATH', 'Isolation', 'Limits', 'ProgramResult',
           'RunningProgram', 'first_ended', 'run_program', 'scratch_workdir',
           'start_program']
