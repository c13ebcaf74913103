"""Sandboxes: named folders of programs, fetched from the filetracker.

A sandbox ``NAME`` is stored as the archive ``/sandboxes/NAME.tar.gz``
holding one top-level folder ``NAME/``: a compiler with its libraries, a
whole root file system for isolated runs, a checker's tools.
:func:`get_sandbox` fetches and unpacks it once per stored version into a
local folder (see :func:`sio.workers.defaults.sandboxes_dir`), shared by
every process of the machine::

    from sio.workers.sandbox import get_sandbox

    with get_sandbox('gcc-13') as sandbox:
        compiler = os.path.join(sandbox.path, 'usr', 'bin', 'gcc')

How it stays safe when many processes ask at once: a version is unpacked
into a temporary folder next to its final place, under a lock, and renamed
into place only when complete; a folder with the final name is therefore
always complete, and a process that dies half-way leaves only a temporary
folder, which the next one removes.  When a newer version is stored, the
next :func:`get_sandbox` unpacks it and removes older versions that no
``with`` block is using.
"""

import contextlib
import fcntl
import os
import re

from sio.workers import defaults
from sio.workers.exceptions import Failure

_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._+-]*$')
_PART = '.part-'


def remote_path(name):
    """Where the archive of sandbox ``name`` is stored."""
    return '%s/%s.tar.gz' % (defaults.SANDBOXES_REMOTE_DIR, name)


class Sandbox:
    """An unpacked sandbox; :attr:`path` is its folder.

    As a context manager it marks its version as in use, so that a newer
    version unpacked meanwhile does not remove it.
    """

    def __init__(self, name, version, base_dir):
        #: The sandbox's name.
        self.name = name
        #: The stored version (a time stamp) that was unpacked.
        self.version = version
        self.base_dir = base_dir
        #: The sandbox's folder (the archive's top-level folder, unpacked).
        self.path = os.path.join(base_dir, _version_dir(name, version), name)
        self._in_use = None

    def __enter__(self):
        self._in_use = _open_lock(_in_use_file(self.base_dir, self.name, self.version))
        fcntl.flock(self._in_use, fcntl.LOCK_SH)
        if not os.path.isdir(self.path):  # removed just before we marked it
            self.__exit__()
            fresh = get_sandbox(self.name)
            self.version, self.path = fresh.version, fresh.path
            return self.__enter__()
        return self

    def __exit__(self, *exc):
        if self._in_use is not None:
            os.close(self._in_use)
            self._in_use = None
        return False

    def __repr__(self):
        return '<Sandbox %s@%s at %s>' % (self.name, self.version, self.path)


def _version_dir(name, version):
    return '%s@%s' % (name, version)


def _in_use_file(base_dir, name, version):
    return os.path.join(base_dir, '.%s.in-use' % _version_dir(name, version))


def _open_lock(path):
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def check_name(name):
    if not isinstance(name, str) or not _NAME.match(name):
        raise Failure('%r is no sandbox name: expected letters, digits and ._+- '
                      '(the archive is stored as /sandboxes/NAME.tar.gz)' % (name,))
    return name


def get_sandbox(name, environ=None):
    """The sandbox ``name``, fetched and unpacked if this version is not yet.

    ``environ`` (optional) chooses the filetracker as for
    :mod:`sio.workers.ft` (its ``filetracker_url``); by default the one of
    ``FILETRACKER_URL`` or :func:`sio.workers.ft.set_instance`.
    """
    check_name(name)
    base_dir = defaults.sandboxes_dir()
    version = _stored_version(name, environ)
    sandbox = Sandbox(name, version, base_dir)
    if os.path.isdir(sandbox.path):
        return sandbox
    try:
        os.makedirs(base_dir, exist_ok=True)
    except OSError as e:
        raise Failure('cannot create the sandboxes folder %r (set %s to another one): %s'
                      % (base_dir, defaults.SANDBOXES_DIR_VARIABLE, e)) from e
    lock = _open_lock(os.path.join(base_dir, '.%s.lock' % name))
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isdir(sandbox.path):  # nobody unpacked it while we waited
            _remove_leftovers(base_dir, name, keep=None)
            _install(name, version, base_dir, environ)
        _remove_leftovers(base_dir, name, keep=version)
    finally:
        os.close(lock)
    return sandbox


@contextlib.contextmanager
def named_in(environ, key, default=None, default_origin=None):
    """Holds the sandbox named by ``environ[key]`` (else ``default``) for a
    ``with`` block; yields ``None`` when neither names one.

    For jobs whose environ names a sandbox: a bad or missing sandbox is a
    :class:`~sio.workers.exceptions.Failure` naming the job, the key (or
    ``default_origin``, which says where ``default`` comes from) and the
    sandbox.
    """
    from sio.workers.keys import optional

    name, origin = optional(environ, key, None, str), 'key %r' % key
    if not name and default:
        name, origin = default, default_origin or 'the default sandbox'
    if not name:
        yield None
        return
    try:
        sandbox = get_sandbox(name, environ)
    except Failure as e:
        raise Failure('job %r: %s names sandbox %r: %s'
                      % (environ.get('job_type', '?'), origin, name, e)) from e
    with sandbox:
        yield sandbox


def _stored_version(name, environ):
    from sio.workers import _ftclient, ft

    client = ft.instance(environ)
    try:
        version = client.file_version(remote_path(name))
    except _ftclient.client_errors() as e:
        url = _ftclient.remote_url(client)
        if _ftclient.is_missing(e):
            raise Failure('sandbox %r is not stored: no file %s in the filetracker at %s'
                          % (name, remote_path(name), url)) from e
        raise Failure('cannot ask the filetracker at %s for sandbox %r: %s'
                      % (url, name, _ftclient.describe(e))) from e
    if not version:
        raise Failure('the filetracker at %s gives no version of %s'
                      % (_ftclient.remote_url(client), remote_path(name)))
    return version


def _install(name, version, base_dir, environ):
    from sio.workers import _tempdir, _untar, ft

    part = os.path.join(base_dir, '%s%s-%s' % (_PART, name, os.urandom(6).hex()))
    archive = part + '.tar.gz'
    fetch = {'use_filetracker': True, 'sandbox': '%s@%d' % (remote_path(name), version)}
    if environ and environ.get('filetracker_url'):
        fetch['filetracker_url'] = environ['filetracker_url']
    try:
        ft.download(fetch, 'sandbox', archive, add_to_cache=False)
        os.mkdir(part, 0o755)
        _untar.unpack(archive, remote_path(name), name, part)
        os.rename(part, os.path.join(base_dir, _version_dir(name, version)))
    except OSError as e:
        raise Failure('cannot unpack sandbox %r into %r: %s' % (name, base_dir, e)) from e
    finally:
        if os.path.lexists(part):
            _tempdir.remove(part)
        if os.path.lexists(archive):
            os.unlink(archive)


def _remove_leftovers(base_dir, name, keep):
    """Removes half-unpacked folders (with ``keep=None``, only those) and
    the versions other than ``keep`` that no ``with`` block is using.

    Called with the sandbox's lock held, so no other process is unpacking.
    """
    from sio.workers import _tempdir

    prefix = '%s%s-' % (_PART, name)
    for entry in os.listdir(base_dir):
        path = os.path.join(base_dir, entry)
        if entry.startswith(prefix):
            if entry.endswith('.tar.gz'):
                os.unlink(path)
            else:
                _tempdir.remove(path)
        elif keep is not None and entry.startswith(name + '@') \
                and entry != _version_dir(name, keep):
            _remove_unused_version(base_dir, name, entry[len(name) + 1:], path)


def _remove_unused_version(base_dir, name, version, path):
    from sio.workers import _tempdir

    in_use = _in_use_file(base_dir, name, version)
    fd = _open_lock(in_use)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # still used; removed by a later call
        _tempdir.remove(path)
        os.unlink(in_use)
    finally:
        os.close(fd)
