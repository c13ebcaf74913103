"""Running one shell command line for :mod:`sio.workers.executors`.

The original ran every executor's command through ``/bin/sh`` with
:class:`subprocess.Popen`; here the shell runs under the supervisor of
:mod:`sio.workers.process` like every other program, so limits,
measurements and the clean-up of what the command left running are the
project's own.  :func:`run_line` gives back both the original's ``renv``
and the :class:`~sio.workers.process.ProgramResult` the executors judge.
"""

import os
import tempfile

from sio.workers.exceptions import Failure
from sio.workers.process import Limits, run_program

#: Where a shell line runs.
SHELL = '/bin/sh'


class noquote(str):  # noqa: N801 -- the name plugins of the original use
    """A piece of a command handed to the shell as it is, unquoted."""


class ExecError(Failure, RuntimeError):
    """A command failed (its exit code, or how it ended, was not accepted).

    Both a :class:`~sio.workers.Failure` (``run()`` records the message)
    and, as in the original, a :class:`RuntimeError`.
    """


def _argquote(part):
    if isinstance(part, noquote):
        return str(part)
    if isinstance(part, list):
        part = ' '.join(map(_argquote, part))
    return "'" + str(part).replace("'", "'\\''") + "'"


def shellquote(command):
    """A command line for the shell: list items quoted (unless
    :class:`noquote`; a nested list becomes one quoted word), a string as
    it is."""
    if isinstance(command, list):
        return ' '.join(map(_argquote, command))
    return command


def _is_plain(command):
    return isinstance(command, list) and not any(
        isinstance(part, (noquote, list)) for part in command)


def command_argv(command, one_process=False):
    """The argument list that runs ``command``.

    By the shell, as the original did; with ``one_process`` (isolated runs
    allow the program no second process) a plain list runs directly, which
    is what the shell would run for it, and a line with shell syntax is
    ``exec``-ed by the shell, so that a simple command with redirections
    stays one process.
    """
    if one_process and _is_plain(command):
        return [str(part) for part in command]
    line = shellquote(command)
    return [SHELL, '-c', 'exec ' + line if one_process else line]


def _stream(value, opened):
    """What :func:`~sio.workers.process.run_program` takes for a stream."""
    if value is None:
        return None
    if hasattr(value, 'fileno'):
        if hasattr(value, 'flush') and getattr(value, 'writable', lambda: False)():
            value.flush()
        return value.fileno()
    if isinstance(value, int):
        return value
    raise TypeError('a stream must be an open file or None, not %r' % (value,))


def exit_status(result):
    """The exit code, or minus the signal (as :class:`subprocess.Popen`)."""
    return result.exit_code if result.exit_code is not None else -result.signal


def run_line(command, limits=None, env=None, stdin=None, stdout=None, stderr=None,
             forward_stderr=False, capture_output=False, output_limit=None,
             split_lines=False, cwd=None, isolation=None, fds_to_close=(),
             one_process=False):
    """Runs ``command`` by the shell; ``(renv, ProgramResult)``.

    ``renv`` holds ``return_code``, ``real_time_used`` (ms), with
    ``capture_output`` the standard output (bytes, at most
    ``output_limit`` of them; a list of lines split at ``b'\\n'`` with
    ``split_lines``), and ``real_time_killed`` when the wall-clock limit
    stopped it.  ``one_process``: see :func:`command_argv`.
    """
    argv = command_argv(command, one_process)
    if env is None:
        env = dict(os.environ)
    env = {str(k): str(v) for k, v in env.items()}
    if cwd is None:
        from sio.workers.util import tempcwd

        cwd = tempcwd()
    captured = tempfile.TemporaryFile() if capture_output else None
    try:
        result = run_program(
            argv, limits=limits or Limits(), cwd=cwd, env=env,
            stdin=_stream(stdin, False),
            stdout=_stream(captured if captured is not None else stdout, True),
            stderr='stdout' if forward_stderr else _stream(stderr, True),
            isolation=isolation)
        for fd in fds_to_close:
            os.close(fd)
        renv = {'return_code': exit_status(result), 'real_time_used': result.wall_ms}
        if result.wall_limit_exceeded:
            renv['real_time_killed'] = True
        if captured is not None:
            captured.seek(0)
            output = captured.read(output_limit or -1)
            renv['stdout'] = output.split(b'\n') if split_lines else output
    finally:
        if captured is not None:
            captured.close()
    return renv, result


def check_status(renv, command, ignore_errors, extra_ignore_errors):
    """Raises :class:`ExecError` for a non-zero ``return_code`` not ignored."""
    code = renv['return_code']
    if code and not ignore_errors and code not in extra_ignore_errors:
        raise ExecError('command %s failed: it returned code %s'
                        % (shellquote(command), code))
