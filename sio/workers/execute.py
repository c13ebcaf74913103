"""``execute()``: the convenience for jobs that shell out.

``execute(command)`` runs a command through the same mechanism as every
other program (:mod:`sio.workers.process`), unprotected, and returns
``(exit code, output)``.  A list of arguments is run directly; a list
holding :class:`noquote` pieces, or a string, is run by ``/bin/sh``:
ordinary arguments are quoted, ``noquote`` pieces (``'<'``, ``'>'``,
``'|'``...) are passed to the shell as they are.
"""

import os
import shlex
import tempfile

from sio.workers.exceptions import Failure
from sio.workers.process import Limits, run_program


class noquote(str):  # noqa: N801 -- the name users of the original know
    """A piece of a command given to the shell as it is, unquoted."""


class ExecError(Failure):
    """The command ended with a non-zero exit code (or a signal)."""


def _shell_line(command):
    return ' '.join(part if isinstance(part, noquote) else shlex.quote(str(part))
                    for part in command)


def execute(command, env=None, split_lines=False, ignore_errors=False,
            extra_ignore_errors=(), stdin=b'', mem_limit=None, time_limit=None,
            real_time_limit=None, cwd=None):
    """Runs ``command``; returns ``(exit code, output)``.

    ``env``: the environment (default: this process's); ``stdin``: bytes
    given on standard input; ``mem_limit`` (KiB), ``time_limit`` and
    ``real_time_limit`` (ms): limits.  The output is standard output and
    error together, as text (a list of lines with ``split_lines``).
    A non-zero exit code raises :class:`ExecError` naming the command,
    unless ``ignore_errors`` or the code is in ``extra_ignore_errors``.
    """
    if isinstance(command, str):
        argv = ['/bin/sh', '-c', command]
    elif any(isinstance(part, noquote) for part in command):
        argv = ['/bin/sh', '-c', _shell_line(command)]
    else:
        argv = [str(part) for part in command]
    if isinstance(stdin, str):
        stdin = stdin.encode()
    with tempfile.TemporaryDirectory(prefix='sio-execute-') as scratch:
        stdin_path = os.path.join(scratch, 'stdin')
        output_path = os.path.join(scratch, 'output')
        with open(stdin_path, 'wb') as f:
            f.write(stdin or b'')
        result = run_program(
            argv, cwd=cwd, env=dict(os.environ) if env is None else env,
            stdin=stdin_path, stdout=output_path, stderr='stdout',
            limits=Limits(cpu_ms=time_limit, wall_ms=real_time_limit,
                          memory_kib=mem_limit))
        with open(output_path, 'rb') as f:
            output = f.read().decode('utf-8', 'replace')
    code = result.exit_code if result.exit_code is not None else -result.signal
    if code != 0 and not ignore_errors and code not in extra_ignore_errors:
        raise ExecError('command %r failed: %s; its output: %s' % (
            argv if isinstance(command, list) and argv is not command else command,
            result.describe_failure(), output[-500:]))
    return code, output.splitlines() if split_lines else output


__all__ = ['ExecError', 'execute', 'noquote']
