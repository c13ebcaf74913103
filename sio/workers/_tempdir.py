"""The job's temporary directory: made fresh, removed whatever is inside.

:mod:`tempfile` and :mod:`shutil` together cost more to import than
``sio-batch`` may spend starting up, so the directory is made with
``os.mkdir`` (mode 0700, random name, the same places ``tempfile`` looks
first) and :mod:`shutil` is only imported when the job left files behind.
"""

import os
import sys

PREFIX = 'sio-job-'


def base_dir():
    for var in ('TMPDIR', 'TEMP', 'TMP'):
        value = os.environ.get(var)
        if value and os.path.isdir(value):
            return value
    return '/tmp'


def make():
    base = base_dir()
    for _ in range(100):
        path = os.path.join(base, PREFIX + os.urandom(6).hex())
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue
    raise FileExistsError('could not create a unique temporary directory in %s' % base)


def _make_writable_and_retry(func, path, _exc_info):
    # A job may leave read-only files and directories; removing an entry
    # needs write and search permission on its parent.
    parent = os.path.dirname(path)
    for target in (parent, path):
        try:
            os.chmod(target, 0o700, follow_symlinks=False)
        except (OSError, NotImplementedError):
            pass
    func(path)


def remove(path):
    try:
        os.rmdir(path)
        return
    except FileNotFoundError:
        return
    except OSError:
        pass
    import shutil

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_make_writable_and_retry)
    else:
        shutil.rmtree(path, onerror=_make_writable_and_retry)
