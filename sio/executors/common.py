"""The original's ``sio.executors.common.run``: an exec job for a given
executor, as plugins of the original write them::

    from sio.executors import common
    from sio.workers.executors import DetailedUnprotectedExecutor

    def run(environ):
        return common.run(environ, DetailedUnprotectedExecutor(),
                          use_sandboxes=False)

It reads the original's keys: ``exe_file``, ``exec_info``, ``in_file``
(a zip holding one file is unpacked first), ``out_file``,
``upload_out``, ``check_output``, ``hint_file``, ``chk_file`` and the
limits ``exec_mem_limit``, ``exec_time_limit``, ``exec_real_time_limit``,
``exec_output_limit``; it writes ``result_code``, ``result_string``,
``time_used``, ``mem_used``, ``num_syscalls`` and ``result_percentage``
(a pair).  The file runs by :mod:`sio.workers.file_runners` in the
executor; the output is judged by :mod:`sio.executors.checker`.
"""

import os

from sio.executors import checker, package_files
from sio.workers import ft
from sio.workers.file_runners import get_file_runner
from sio.workers.util import decode_fields, replace_invalid_UTF, rmtree, tempcwd


def _populate_environ(renv, environ):
    for key in ('time_used', 'mem_used', 'num_syscalls'):
        environ[key] = renv.get(key, 0)
    for key in ('result_code', 'result_string'):
        environ[key] = renv.get(key, '')
    if 'out_file' in renv:
        environ['out_file'] = renv['out_file']
    environ['result_percentage'] = renv.get('result_percentage', (0, 1))


@decode_fields(['result_string'])
def run(environ, executor, use_sandboxes=True):
    """Runs ``exe_file`` on ``in_file`` in ``executor`` and judges it
    (``use_sandboxes`` is passed to the checker)."""
    if environ.get('exec_info', {}).get('mode') == 'output-only':
        renv = _output_is_the_file(environ)
    else:
        renv = _run(environ, executor)
    _populate_environ(renv, environ)
    if environ['result_code'] == 'OK' and environ.get('check_output'):
        environ = checker.run(environ, use_sandboxes=use_sandboxes)
    for key in ('result_code', 'result_string'):
        environ[key] = replace_invalid_UTF(environ[key])
    if 'out_file' in environ:
        ft.upload(environ, 'out_file', tempcwd('out'),
                  to_remote_store=environ.get('upload_out', False))
    return environ


def _run(environ, executor):
    runner = get_file_runner(executor, environ)
    exe = runner.preferred_filename()
    ft.download(environ, 'exe_file', exe, add_to_cache=True)
    os.chmod(tempcwd(exe), 0o700)
    ft.download(environ, 'in_file', tempcwd('in'), add_to_cache=True)
    folder = tempcwd('in_dir')
    os.mkdir(folder)
    try:
        stdin_path = package_files.unzipped_input(environ, tempcwd('in'),
                                                  os.path.join(folder, 'in'))
        with runner, open(stdin_path, 'rb') as stdin, open(tempcwd('out'), 'ab') as out:
            # Append mode: the program can only add to the end of its output.
            renv = runner(tempcwd(exe), [], stdin=stdin, stdout=out, ignore_errors=True,
                          environ=environ, environ_prefix='exec_')
    finally:
        rmtree(folder)
    # The program could write in its directory: the checker gets a fresh input.
    if os.path.lexists(tempcwd('in')):
        os.unlink(tempcwd('in'))
    return renv


def _output_is_the_file(environ):
    ft.download(environ, 'exe_file', tempcwd('out'))
    return {'out_file': environ['exe_file'], 'result_code': 'OK', 'result_string': 'ok'}


__all__ = ['run']
