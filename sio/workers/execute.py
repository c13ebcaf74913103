"""``execute()``: the convenience for jobs that shell out, as in the original.

``execute(command, **kwargs)`` runs ``command`` with
:class:`~sio.workers.executors.UnprotectedExecutor` (resource limits only,
under the same supervisor as every other program) and returns
``(return code, standard output)``.  The output is **bytes**, as the
original returned it, and standard error is discarded unless
``forward_stderr=True`` merges it into the output.  A list is quoted for
the shell, except :class:`noquote` pieces (``'<'``, ``'>'``, ``'|'``...);
a string is a shell line.  The keyword arguments are the executor's
(``env``, ``cwd``, ``split_lines`` -- a list of lines split at ``b'\\n'``
--, ``ignore_errors``, ``extra_ignore_errors``, ``mem_limit``,
``time_limit``, ``real_time_limit``, ``output_limit``, ``stdin``...).
``stdin`` may also be bytes or text, given to the command as its input.
A non-zero exit code raises :class:`ExecError` unless ignored.
"""

import tempfile

from sio.workers.executors import ExecError, UnprotectedExecutor, noquote


def execute(command, **kwargs):
    """Runs ``command``; ``(return code, output as bytes)``."""
    kwargs['capture_output'] = True
    data = kwargs.get('stdin')
    if isinstance(data, str):
        data = data.encode('utf-8')
    if not isinstance(data, (bytes, bytearray)):
        return _run(command, kwargs)
    with tempfile.TemporaryFile() as stdin:
        stdin.write(data)
        stdin.seek(0)
        kwargs['stdin'] = stdin
        return _run(command, kwargs)


def _run(command, kwargs):
    with UnprotectedExecutor() as executor:
        renv = executor(command, **kwargs)
    return renv['return_code'], renv['stdout']


__all__ = ['ExecError', 'execute', 'noquote']
