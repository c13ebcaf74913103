"""The ``ingen`` job: run a test-input generator and collect its files.

``ingen``: runs a test-input generator and collects the files it wrote.

The generator runs isolated (as ``exec`` runs programs) with an empty
directory as its working directory, the only place it can write, owned
by its slot user.  When it ends well, every regular file it left there
whose name matches ``re_string`` is copied out (never following a link,
never keeping its mode bits) and stored under ``collected_files_path``;
links, FIFOs, devices and folders are skipped.  Folders nested deeper
than 64 levels stop it (``OLE``), like files past their size limit.

Keys read:

``exe_file`` (required)
    the generator, as stored by ``compile``.
``exec_info``
    how to run it, as returned by ``compile`` (default: a native
    executable).
``re_string`` (required)
    a regular expression; the files whose name starts with a match
    (as Python's ``re.match``, the original's rule) are
    collected.
``collected_files_path`` (required)
    the path prefix (a directory) under which each collected file is
    stored, with its own name.
``ingen_time_limit``
    CPU time limit in ms (default 600000); the wall-clock limit is
    three times that and one second more.
``ingen_mem_limit``
    memory limit in KiB (default 262144).
``ingen_output_limit``
    how many bytes of the generator's standard output are kept in
    ``stdout`` (default 10240).
``ingen_files_size_limit``
    limit in bytes on the total size of the files it writes (default
    1073741824); past it the generator is stopped.

Keys written:

``result_code``
    ``OK`` when the generator exited with status 0 within its limits;
    else ``TLE``, ``MLE``, ``OLE`` (its files grew past
    ``ingen_files_size_limit``) or ``RE``.
``result_string``
    why, in words.
``return_code``
    the generator's exit status (128 + N when killed by signal N).
``stdout``
    the lines of its standard output, cut to ``ingen_output_limit``.
``collected_files``
    an object: file name -> the path it was stored under; empty
    unless ``result_code`` is ``OK``.
"""

import os
import re

from sio.executors import defaults
from sio.executors._waiting import wait_watching
from sio.executors.defaults import (INGEN_FILES_SIZE_LIMIT, INGEN_MEM_LIMIT,
                                    INGEN_OUTPUT_LIMIT, INGEN_TIME_LIMIT)
from sio.executors.modes import exec_mode
from sio.executors.programs import RESULT_CODES
from sio.workers.process.limits import FORBIDDEN_CALL
from sio.workers import ft
from sio.workers.exceptions import Failure
from sio.workers.keys import limit, required
from sio.workers.process import Isolation, Limits, start_program
from sio.workers.untrusted import Box, UnsafeFile, copy_out, list_names, tree_size

_GENERATOR_DIR = 'generated'
_COLLECTED_DIR = 'collected'
_STDOUT_FILE = 'ingen.stdout'
#: How deep the generator's folders may nest (its files are measured
#: while it runs, holding a descriptor per level).
MAX_DEPTH = 64


def run(environ):
    """``ingen``: runs a test-input generator and collects the files it wrote.

    Its keys: see the module.
    """
    pattern = _pattern(environ)
    prefix = required(environ, 'collected_files_path', str)
    files_limit = limit(environ, 'ingen_files_size_limit', INGEN_FILES_SIZE_LIMIT)
    limits = _limits(environ, files_limit)
    exe = ft.download(environ, 'exe_file', 'ingen')
    mode, exec_info = exec_mode(environ)
    argv, limits = mode.command(environ, exe, exec_info, limits)
    # The generator writes in a folder its slot user owns; what it made is
    # copied out of it (regular files only) before the folder is removed.
    with Box(os.getcwd(), _GENERATOR_DIR) as box:
        box.reopen()
        program = start_program(
            argv, limits=limits, cwd=box.path, stdout=os.path.abspath(_STDOUT_FILE),
            isolation=Isolation(readonly=(os.path.abspath(exe),), slot=box.slot))
        result, too_big = wait_watching(program, lambda: _over_size(box.path, files_limit))
        environ['result_code'], environ['result_string'] = _outcome(result, too_big)
        environ['return_code'] = _return_code(result)
        environ['stdout'] = _output_lines(environ)
        environ['collected_files'] = {}
        if environ['result_code'] == defaults.OK:
            environ['collected_files'] = _collect(environ, box.path, pattern, prefix,
                                                  files_limit)
    return environ


def _pattern(environ):
    text = required(environ, 're_string', str)
    try:
        return re.compile(text)
    except re.error as e:
        raise Failure("job 'ingen': key 're_string' is not a valid regular expression "
                      "(%r: %s)" % (text, e))


def _limits(environ, files_limit):
    cpu = limit(environ, 'ingen_time_limit', INGEN_TIME_LIMIT)
    return Limits(cpu_ms=cpu, wall_ms=defaults.real_time_limit(cpu),
                  memory_kib=limit(environ, 'ingen_mem_limit', INGEN_MEM_LIMIT),
                  # One byte more than allowed: a file that reaches it is
                  # over the limit, which the size check then sees.
                  file_size_bytes=files_limit + 1)


def _over_size(workdir, files_limit):
    try:
        total = tree_size(workdir, MAX_DEPTH)
    except UnsafeFile as e:
        return 'its folder %s' % e.why
    if total > files_limit:
        return 'its files grew past ingen_files_size_limit (%d bytes)' % files_limit
    return None


def _outcome(result, too_big):
    if too_big:
        return defaults.OUTPUT_LIMIT_EXCEEDED, 'stopped: %s' % too_big
    failure = result.failure
    if failure is None:
        return defaults.OK, 'ok'
    if failure == FORBIDDEN_CALL:  # a generator is not bound by the exec rules
        return defaults.RUNTIME_ERROR, result.describe_exit()
    return RESULT_CODES[failure], result.describe_failure()


def _return_code(result):
    if result.signal is not None:
        return 128 + result.signal
    return result.exit_code


def _output_lines(environ):
    size = limit(environ, 'ingen_output_limit', INGEN_OUTPUT_LIMIT, allow_zero=True)
    with open(_STDOUT_FILE, 'rb') as f:
        text = f.read(size).decode('utf-8', 'replace')
    return text.splitlines()


def _collect(environ, workdir, pattern, prefix, files_limit):
    """Uploads the regular files of ``workdir`` whose names match; links,
    FIFOs, devices and folders are skipped, and no mode bit is kept."""
    collected = {}
    storage = dict(environ)  # ft.upload writes the stored name back into it
    os.mkdir(_COLLECTED_DIR, 0o700)
    for name in list_names(workdir):
        if not pattern.match(name):
            continue
        copy = os.path.join(_COLLECTED_DIR, name)
        try:
            copy_out(workdir, name, copy, files_limit)
        except UnsafeFile:
            continue
        target = prefix.rstrip('/') + '/' + name
        collected[name] = ft.upload(storage, 'collected_files_path', copy, dest=target)
    return collected
