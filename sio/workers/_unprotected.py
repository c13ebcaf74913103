"""The original's unprotected executors and what every executor shares
(see :mod:`sio.workers.executors`, which is the public name)."""

import os

from sio.workers._shell import check_status, noquote, run_line
from sio.workers.exceptions import Failure
from sio.workers.process import Limits
from sio.workers.util import ceil_ms2s, tempcwd


def ulimit(command, mem_limit=None, time_limit=None, **kwargs):
    """``command`` prefixed with the shell's ``ulimit`` for the limits
    (memory in KiB, time in ms rounded up to seconds).  The executors here
    do not need it (they set the limits themselves); kept for plugins."""
    command = command if isinstance(command, list) else [command]
    if mem_limit:
        command = ['ulimit', '-v', str(mem_limit), noquote('&&')] + command
        command = ['ulimit', '-Ss', 'unlimited', noquote('&&')] + command
    if time_limit:
        command = ['ulimit', '-t', str(ceil_ms2s(time_limit)), noquote('&&')] + command
    return command


def execute_command(command, env=None, split_lines=False, stdin=None, stdout=None,
                    stderr=None, forward_stderr=False, capture_output=False,
                    output_limit=None, real_time_limit=None, ignore_errors=False,
                    extra_ignore_errors=(), cwd=None, pass_fds=(), fds_to_close=(),
                    **kwargs):
    """Runs ``command`` by the shell with a wall-clock limit only; the
    original's ``renv`` (``return_code``, ``real_time_used``, ``stdout``
    with ``capture_output``, ``real_time_killed``)."""
    if pass_fds:
        raise Failure('execute_command: pass_fds is not supported; the program gets '
                      'only its standard input, output and error')
    renv, _ = run_line(command, Limits(wall_ms=real_time_limit or None), env, stdin,
                       stdout, stderr, forward_stderr, capture_output, output_limit,
                       split_lines, cwd, fds_to_close=fds_to_close)
    check_status(renv, command, ignore_errors, extra_ignore_errors)
    return renv


class BaseExecutor:
    """A callable context manager running commands::

        with executor:
            renv = executor(['./exe'], stdin=f, time_limit=1000)
    """

    def __enter__(self):
        raise NotImplementedError('BaseExecutor is abstract')

    def __exit__(self, *exc):
        pass

    def _execute(self, command, **kwargs):
        raise NotImplementedError('BaseExecutor is abstract')

    def rcwd(self, subpath=''):
        """``subpath`` of the job's directory as the command sees it."""
        return tempcwd(subpath)

    def tempcwd_to_rcwd(self, path):
        """A path inside the job's directory as the command sees it."""
        if os.path.commonpath([path, tempcwd()]) != tempcwd():
            raise Failure('tempcwd_to_rcwd: %r is outside the job\'s directory %r'
                          % (path, tempcwd()))
        return self.rcwd(os.path.relpath(path, tempcwd()))

    def __call__(self, command, env=None, split_lines=False, ignore_errors=False,
                 extra_ignore_errors=(), stdin=None, stdout=None, stderr=None,
                 forward_stderr=False, capture_output=False, mem_limit=None,
                 time_limit=None, real_time_limit=None, output_limit=None,
                 environ=None, environ_prefix='', **kwargs):
        """Runs ``command`` (a list, quoted unless :class:`noquote`, or a
        shell line); returns ``renv``.

        Limits: ``mem_limit`` (KiB), ``time_limit`` (CPU, ms),
        ``real_time_limit`` (ms), ``output_limit`` (bytes); with
        ``environ``, its ``<environ_prefix>mem_limit``... take precedence.
        ``stdin``/``stdout``/``stderr``: open files or ``None``
        (``/dev/null``).  ``env`` defaults to this process's environment;
        ``LC_ALL`` and ``LANGUAGE`` are set to ``en_US.UTF-8``.
        """
        if not isinstance(command, list):
            command = [noquote(command)]
        environ = environ if environ is not None else {}
        if environ:
            mem_limit = environ.get(environ_prefix + 'mem_limit', mem_limit)
            time_limit = environ.get(environ_prefix + 'time_limit', time_limit)
            real_time_limit = environ.get(environ_prefix + 'real_time_limit',
                                          real_time_limit)
            output_limit = environ.get(environ_prefix + 'output_limit', output_limit)
        env = dict(env) if env else dict(os.environ)
        env['LC_ALL'] = env['LANGUAGE'] = 'en_US.UTF-8'
        return self._execute(
            command, env=env, split_lines=split_lines, ignore_errors=ignore_errors,
            extra_ignore_errors=extra_ignore_errors, stdin=stdin, stdout=stdout,
            stderr=stderr, mem_limit=mem_limit, time_limit=time_limit,
            real_time_limit=real_time_limit, output_limit=output_limit,
            forward_stderr=forward_stderr, capture_output=capture_output,
            environ=environ, environ_prefix=environ_prefix, **kwargs)


def _streams(kwargs):
    return {name: kwargs.get(name) for name in (
        'env', 'stdin', 'stdout', 'stderr', 'forward_stderr', 'capture_output',
        'output_limit', 'split_lines', 'cwd')}


class UnprotectedExecutor(BaseExecutor):
    """Runs the command with resource limits only, no isolation.

    The CPU limit is exact (the original's ``ulimit -t`` counted whole
    seconds); the wall-clock limit defaults to twice the CPU limit.
    """

    def __enter__(self):
        return self

    def _run(self, command, kwargs, isolation=None, one_process=False, **limits):
        time_limit = kwargs.get('time_limit')
        real_time_limit = kwargs.get('real_time_limit')
        if time_limit and real_time_limit is None:
            real_time_limit = 2 * time_limit
        limits = Limits(cpu_ms=time_limit or None, wall_ms=real_time_limit or None,
                        memory_kib=kwargs.get('mem_limit') or None,
                        processes=1 if one_process else None, **limits)
        return run_line(command, limits, isolation=isolation, one_process=one_process,
                        **_streams(kwargs))

    def _execute(self, command, **kwargs):
        renv, _ = self._run(command, kwargs)
        check_status(renv, command, kwargs['ignore_errors'],
                     kwargs['extra_ignore_errors'])
        return renv


#: A run with a CPU time at least this share of its limit is TLE.
TLE_SHARE = 0.95


class DetailedUnprotectedExecutor(UnprotectedExecutor):
    """:class:`UnprotectedExecutor` that also judges the run: ``time_used``
    (CPU time, ms), ``result_code`` (``OK``, ``TLE``, ``RE``),
    ``result_string``, ``exit_signal``, ``mem_used`` (peak KiB, measured;
    the original said 0) and ``num_syscalls`` (0)."""

    def _execute(self, command, **kwargs):
        renv, result = self._run(command, kwargs)
        if result.signal is not None:  # as a shell reports a killed child
            renv['return_code'] = 128 + result.signal
        renv['time_used'] = result.cpu_ms
        time_limit = kwargs.get('time_limit')
        if result.cpu_limit_exceeded or (
                time_limit and renv['time_used'] >= TLE_SHARE * time_limit):
            renv['result_code'], renv['result_string'] = 'TLE', 'time limit exceeded'
        elif renv.get('real_time_killed'):
            renv['result_code'] = 'TLE'
            renv['result_string'] = 'real time limit exceeded'
        elif renv['return_code'] == 0:
            renv['result_code'], renv['result_string'] = 'OK', 'ok'
        elif renv['return_code'] > 128:
            renv['exit_signal'] = renv['return_code'] - 128
            renv['result_code'] = 'RE'
            renv['result_string'] = ('program exited due to signal %d'
                                     % renv['exit_signal'])
        else:
            renv['result_code'] = 'RE'
            renv['result_string'] = 'program exited with code %d' % renv['return_code']
        renv['mem_used'] = result.mem_kib or 0
        renv['num_syscalls'] = 0
        check_status(renv, command, kwargs['ignore_errors'],
                     kwargs['extra_ignore_errors'])
        return renv

