"""File access for jobs: one way to read and write the files an environ names.

This first version serves local files only; remote storage (filetracker)
comes behind the same calls.
"""

import os

from sio.workers.exceptions import Failure
from sio.workers.keys import required


def _caller_dir():
    from sio.workers.runner import current_job

    job = current_job()
    if job is not None and job.caller_dir:
        return job.caller_dir
    return os.getcwd()


def _local_path(name):
    return name if os.path.isabs(name) else os.path.join(_caller_dir(), name)


def download(environ, key, dest=None, skip_if_exists=False, **kwargs):
    """Fetches the file named by ``environ[key]``; returns the local path.

    ``dest`` is where to put it, relative to the current directory (the
    job's temporary directory); by default the file's base name.  With
    ``skip_if_exists``, an existing ``dest`` is kept as it is.
    """
    import shutil

    name = required(environ, key, str)
    source = _local_path(name)
    dest = dest or os.path.basename(name)
    if skip_if_exists and os.path.exists(dest):
        return dest
    if not os.path.isfile(source):
        raise Failure('file %r named by key %r does not exist' % (name, key))
    parent = os.path.dirname(dest)
    if parent:
        os.makedirs(parent, exist_ok=True)
    if os.path.abspath(source) != os.path.abspath(dest):
        shutil.copy(source, dest)
    return dest


def upload(environ, key, source, dest=None, **kwargs):
    """Stores the local file ``source`` under ``dest`` or ``environ[key]``.

    The name it was stored under is written back into ``environ[key]``.
    """
    import shutil

    name = dest or required(environ, key, str)
    target = _local_path(name)
    if not os.path.isfile(source):
        raise Failure('cannot store %r under key %r: no such file' % (source, key))
    parent = os.path.dirname(target)
    if parent:
        os.makedirs(parent, exist_ok=True)
    tmp = '%s.%d.part' % (target, os.getpid())
    try:
        shutil.copy(source, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    environ[key] = name
    return name
