"""The original's sandboxed executors, isolated in bubblewrap (see
:mod:`sio.workers.executors`, which is the public name).

The original ran these through its own supervisor, sio2jail or PRoot,
each fetched as a sandbox; here the program runs in bubblewrap
(:class:`~sio.workers.process.Isolation`) under the project's
supervisor: its own namespaces, no network, the system directories
read-only, one process (threads are allowed).  The program runs as a
slot user of its own (see "Security model" in the documentation): the
job's directory, the worker's, is never its working directory.  It
gets a fresh in-memory one at the same path, of at most
:data:`WORKDIR_BYTES`, where the files of the job's directory appear
read-only.  For :class:`SandboxExecutor` and :class:`PRootExecutor`, which
run tools (compilers, above all), the regular files the program made
there are then copied into the job's directory, as new files of mode
0644 (0755 if executable), never following links; the judged executors'
files are dropped with their directory.  Only a sandbox the caller names (the program's files or a
root file system) is still fetched, by :func:`sio.workers.sandbox.get_sandbox`.
"""

import os
import stat

from sio.workers import sandbox as sandboxes
from sio.workers._shell import ExecError, check_status
from sio.workers._unprotected import UnprotectedExecutor
from sio.workers.exceptions import Failure
from sio.workers.process import Isolation, scratch_workdir, userns
from sio.workers.process import limits as outcomes
from sio.workers.untrusted import UnsafeFile, copy_out
from sio.workers.util import null_ctx_manager

#: Bytes the in-memory working directory of one run may hold.
WORKDIR_BYTES = 256 << 20
#: How deep the folders a tool made may nest to be taken back.
MAX_DEPTH = 32

#: ``result_code`` of each way a run fails.
RESULT_CODES = {
    outcomes.OUTPUT_LIMIT: 'OLE', outcomes.TIME_LIMIT: 'TLE',
    outcomes.MEMORY_LIMIT: 'MLE', outcomes.FORBIDDEN_CALL: 'RV',
    outcomes.KILLED: 'RE', outcomes.EXIT_CODE: 'RE',
}


def _fetch(name, who):
    try:
        return sandboxes.get_sandbox(name)
    except Failure as e:
        raise Failure('%s needs the sandbox %r, which cannot be had: %s'
                      % (who, name, e)) from e


def _binds(kwargs):
    """The original's ``binds`` (``(what, where, mode)``) as read-only and
    writable paths; a path can only be bound at its own place."""
    readonly, writable = [], []
    for what, where, mode in kwargs.pop('binds', None) or ():
        if os.path.abspath(what) != os.path.abspath(where):
            raise Failure('bind of %r at %r: isolated runs bind a path only at its '
                          'own place' % (what, where))
        (writable if mode == 'rw' else readonly).append(what)
    return readonly, writable


def _job_files(readonly):
    """The entries of the job's directory and ``readonly``: what the program
    sees of the worker's files.  Its regular files are made readable (and
    executable, where their owner may execute them) by the program's user,
    as they were to a program the original ran as the worker's user: the
    job's directory keeps them out of everyone else's reach."""
    cwd = os.getcwd()
    names = sorted(os.listdir(cwd))
    for name in names:
        info = os.lstat(name)
        if stat.S_ISREG(info.st_mode):
            mode = stat.S_IMODE(info.st_mode)
            wanted = mode | 0o044 | (0o011 if mode & 0o100 else 0)
            if wanted != mode:
                os.chmod(name, wanted)
    return cwd, names, [os.path.join(cwd, n) for n in names] + list(readonly)


def _run_tool(executor, command, kwargs, root=None):
    """Runs an unjudged tool contained; takes back the files it made."""
    readonly, writable = _binds(kwargs)
    cwd, names, visible = _job_files(readonly)
    with scratch_workdir(WORKDIR_BYTES) as (slot, workdir):
        renv, result = executor._run(command, kwargs, Isolation(
            root=root, readonly=visible, writable=writable, workdir=workdir, slot=slot))
        # With power over the slot's files (a worker that is not root
        # takes them back as root of its user namespace).
        userns.call(_take_back, workdir, cwd, set(names))
    return renv, result


def _take_back(workdir, cwd, skipped):
    """Copies the regular files below ``workdir`` (but the ``skipped`` top
    names) into ``cwd``, as new files, never following a link."""
    pending = [('', 0)]
    while pending:
        folder, depth = pending.pop()
        with os.scandir(os.path.join(workdir, folder)) as entries:
            found = [(e.name, e.stat(follow_symlinks=False).st_mode) for e in entries]
        for name, mode in found:
            relative = os.path.join(folder, name)
            if not folder and name in skipped:
                continue
            if stat.S_ISDIR(mode) and depth < MAX_DEPTH:
                os.makedirs(os.path.join(cwd, relative), exist_ok=True)
                pending.append((relative, depth + 1))
            elif stat.S_ISREG(mode):
                try:
                    copy_out(workdir, relative, os.path.join(cwd, relative), WORKDIR_BYTES,
                             mode=0o755 if mode & 0o111 else 0o644)
                except UnsafeFile:
                    pass  # changed under us: a link or gone by now


class SandboxExecutor(UnprotectedExecutor):
    """Runs a program of the sandbox ``sandbox`` (a name), isolated: the
    sandbox's folder is visible read-only, its ``bin`` directories lead
    ``PATH``, and a relative ``command[0]`` is taken from it unless
    ``use_path=True``."""

    def __init__(self, sandbox):
        self.sandbox = _fetch(sandbox, 'SandboxExecutor')

    def __enter__(self):
        self.sandbox.__enter__()
        return self

    def __exit__(self, *exc):
        self.sandbox.__exit__(*exc)

    def __str__(self):
        return 'SandboxExecutor(%s)' % (self.sandbox,)

    @property
    def rpath(self):
        """The sandbox's folder as the command sees it."""
        return self.sandbox.path

    @property
    def path(self):
        """The sandbox's folder."""
        return self.sandbox.path

    def _env_paths(self, suffix):
        return '%s:%s' % (os.path.join(self.path, suffix),
                          os.path.join(self.path, 'usr', suffix))

    def _execute(self, command, **kwargs):
        if not kwargs.pop('use_path', False) and not str(command[0]).startswith('/'):
            command = [os.path.join(self.path, command[0])] + command[1:]
        env = kwargs['env']
        env['PATH'] = '%s:%s' % (self._env_paths('bin'), env.get('PATH', ''))
        env['LD_LIBRARY_PATH'] = self._env_paths('lib')
        kwargs['binds'] = [(self.path, self.path, 'ro')] + list(kwargs.get('binds') or ())
        renv, _ = _run_tool(self, command, kwargs)
        check_status(renv, command, kwargs['ignore_errors'],
                     kwargs['extra_ignore_errors'])
        return renv


class _Judged(UnprotectedExecutor):
    """Runs isolated with the supervised defaults and judges the run."""

    DEFAULT_MEMORY_LIMIT = 64 * 2**10  # KiB
    DEFAULT_OUTPUT_LIMIT = 50 * 2**20  # bytes
    DEFAULT_TIME_LIMIT = 30000  # ms
    REAL_TIME_LIMIT_MULTIPLIER = 64
    REAL_TIME_LIMIT_ADDEND = 1000  # ms

    def __enter__(self):
        return self

    def _root(self):
        return None

    def _limits(self, kwargs):
        kwargs['mem_limit'] = kwargs.get('mem_limit') or self.DEFAULT_MEMORY_LIMIT
        kwargs['time_limit'] = kwargs.get('time_limit') or self.DEFAULT_TIME_LIMIT
        kwargs['output_limit'] = kwargs.get('output_limit') or self.DEFAULT_OUTPUT_LIMIT
        wall = kwargs.get('real_time_limit')
        if wall is None:
            wall = self.REAL_TIME_LIMIT_MULTIPLIER * kwargs['time_limit']
        kwargs['real_time_limit'] = wall + self.REAL_TIME_LIMIT_ADDEND if wall else 0

    def _judge(self, command, kwargs, ignore_return=False):
        self._limits(kwargs)
        readonly, writable = _binds(kwargs)
        _, _, visible = _job_files(readonly)
        isolation = Isolation(root=self._root(), readonly=visible, writable=writable,
                              scratch_bytes=WORKDIR_BYTES)
        renv, result = self._run(command, kwargs, isolation, one_process=True,
                                 output_bytes=kwargs['output_limit'])
        failure = result.failure
        if ignore_return and failure == outcomes.EXIT_CODE:
            failure = None
        renv.update(result_code=RESULT_CODES.get(failure, 'OK'),
                    result_string=_describe(result, failure), time_used=result.cpu_ms,
                    mem_used=result.mem_kib or 0, num_syscalls=0)
        if result.signal is not None and failure == outcomes.KILLED:
            renv['exit_signal'] = result.signal
        renv['return_code'] = result.exit_code if result.exit_code is not None else -1
        if renv['result_code'] != 'OK' and not kwargs['ignore_errors'] and not (
                renv['result_code'] == 'RE'
                and renv['return_code'] in kwargs['extra_ignore_errors']):
            raise ExecError('command %r failed: %s' % (command, renv['result_string']))
        return renv

    def _execute(self, command, **kwargs):
        return self._judge(command, kwargs)


def _describe(result, failure):
    if failure is None:
        return 'ok'
    if failure == outcomes.TIME_LIMIT:
        return 'time limit exceeded' if result.cpu_limit_exceeded \
            else 'real time limit exceeded'
    if failure == outcomes.FORBIDDEN_CALL:
        return 'intercepted forbidden syscall (a second process, or a call outside ' \
            'the rules)'
    if failure == outcomes.KILLED:
        return 'process exited due to signal %d' % result.signal
    if failure == outcomes.EXIT_CODE:
        return 'runtime error: program exited with code %d' % result.exit_code
    return '%s exceeded' % failure


class SupervisedExecutor(_Judged):
    """The original's supervisor executor, isolated.  ``allow_local_open``
    is accepted (the job's directory is always readable); ``ignore_return``
    in ``__call__`` makes a non-zero exit code ``OK``; ``java_sandbox``
    is not needed (``java`` is the system's)."""

    def __init__(self, allow_local_open=False, **kwargs):
        self.allow_local_open = allow_local_open

    def _execute(self, command, **kwargs):
        kwargs.pop('java_sandbox', None)
        return self._judge(command, kwargs, kwargs.pop('ignore_return', False))


class CompoundSandboxExecutor(_Judged):
    """An executor whose program sees the sandbox ``sandbox`` (a name) as
    its root file system, or the system directories without one.  The
    original's ``tool_sandbox`` (its sio2jail or PRoot) is not fetched."""

    tool_sandbox = None

    def __init__(self, sandbox=None):
        self.chroot = _fetch(sandbox, type(self).__name__) if sandbox \
            else null_ctx_manager()

    def __exit__(self, *exc):
        self.chroot.__exit__(*exc)

    def __enter__(self):
        self.chroot.__enter__()
        return self

    def _root(self):
        return getattr(self.chroot, 'path', None)

    @property
    def rpath(self):
        """The root as the command sees it."""
        return os.sep

    @property
    def path(self):
        """The root file system: the sandbox's folder, or ``/``."""
        return self._root() or os.sep


class Sio2JailExecutor(CompoundSandboxExecutor):
    """The original's sio2jail executor, isolated in bubblewrap.

    ``time_used`` is CPU time (sio2jail counted instructions; this
    project does not), or wall-clock time with ``measure_real_time``.
    """

    def __init__(self, sandbox=None, measure_real_time=False):
        super().__init__(sandbox)
        self.measure_real_time = measure_real_time

    def _execute(self, command, **kwargs):
        kwargs.pop('no_bind_binary', None)
        renv = self._judge(command, kwargs)
        if self.measure_real_time:
            renv['time_used'] = renv['real_time_used']
        return renv

    def _limits(self, kwargs):
        super()._limits(kwargs)
        if self.measure_real_time:
            # The time limit is a wall-clock limit, and that is what is measured.
            kwargs['real_time_limit'] = kwargs['time_limit']
            kwargs['time_limit'] = None


class RealTimeSio2JailExecutor(Sio2JailExecutor):
    """:class:`Sio2JailExecutor` measuring wall-clock time."""

    def __init__(self):
        super().__init__(measure_real_time=True)


class PRootExecutor(CompoundSandboxExecutor):
    """The original's PRoot executor: the sandbox ``sandbox`` is the root
    file system; isolated in bubblewrap instead of PRoot.  The job's
    directory keeps its own path inside (the original showed it as
    ``/tmp``): :meth:`rcwd` names it.  Limits as for
    :class:`UnprotectedExecutor`; the run is not judged."""

    def _execute(self, command, **kwargs):
        kwargs.pop('proot_options', None)
        if kwargs.get('time_limit') and kwargs.get('real_time_limit') is None:
            kwargs['real_time_limit'] = 3 * kwargs['time_limit']
        renv, _ = _run_tool(self, command, kwargs, root=self._root())
        check_status(renv, command, kwargs['ignore_errors'],
                     kwargs['extra_ignore_errors'])
        return renv


class PRoot32BitExecutor(PRootExecutor):
    """The same as :class:`PRootExecutor`."""

