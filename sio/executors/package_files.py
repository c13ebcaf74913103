"""Problem-package keys of the exec jobs, as OIOIOI's sinolpack sends them.

``extra_execution_files``
    an object: file name -> path; each file is placed in the program's
    working directory under that name before it runs (data files a
    solution reads, for example).
``extra_execution_args``
    a list of arguments (or one string, one argument) given to the
    program.
A zipped ``in_file``
    (OIOIOI's test runs accept a zip holding one file) is unpacked, and
    the one file it holds is the program's input.
"""

import os
import zipfile

from sio.workers import ft
from sio.workers.exceptions import Failure

#: The most an unpacked zipped input may hold (bytes).
UNZIPPED_INPUT_LIMIT = 1 << 30
_CHUNK = 1 << 16


def extra_execution_args(environ):
    """``extra_execution_args`` as a list of strings."""
    value = environ.get('extra_execution_args')
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise Failure("job %r: key 'extra_execution_args' must be a list of strings, "
                  "not %r" % (environ.get('job_type'), value))


def place_extra_execution_files(environ, directory, reserved=()):
    """Downloads ``extra_execution_files`` into ``directory``; ``reserved``
    names (the job's own files there) cannot be taken.  The paths placed."""
    files = environ.get('extra_execution_files')
    if files is None:
        return []
    if not isinstance(files, dict) or not all(
            isinstance(v, str) for v in files.values()):
        raise Failure("job %r: key 'extra_execution_files' must be an object: file "
                      "name -> path, not %r" % (environ.get('job_type'), files))
    storage = dict(environ)  # the same storage settings, one key per file
    placed = []
    for name, path in sorted(files.items()):
        if not name or name in ('.', '..') or '/' in name or '\0' in name \
                or name in reserved:
            raise Failure("job %r: key 'extra_execution_files' names %r, which is not "
                          "a plain file name the job can place beside the program"
                          % (environ.get('job_type'), name))
        storage['extra_execution_file'] = path
        placed.append(ft.download(storage, 'extra_execution_file',
                                  os.path.join(directory, name)))
    return placed


def unzipped_input(environ, path, target):
    """``path`` itself, or, when it is a zip archive, ``target`` holding
    the one file it contains."""
    if not zipfile.is_zipfile(path):
        return path
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise Failure("job %r: in_file is a zip archive of %d files; a zipped "
                              "input must hold exactly one"
                              % (environ.get('job_type'), len(members)))
            _copy_bounded(environ, archive, members[0], target)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as e:
        raise Failure("job %r: in_file is a zip archive that cannot be read: %s"
                      % (environ.get('job_type'), e))
    return target


def _copy_bounded(environ, archive, member, target):
    copied = 0
    with archive.open(member) as source, open(target, 'wb') as out:
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                return
            copied += len(chunk)
            if copied > UNZIPPED_INPUT_LIMIT:
                raise Failure("job %r: the zipped in_file unpacks to more than %d bytes"
                              % (environ.get('job_type'), UNZIPPED_INPUT_LIMIT))
            out.write(chunk)
