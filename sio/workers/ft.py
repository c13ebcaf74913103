"""File access for jobs: one way to read and write the files an environ names.

A file key names either a local file or a file in a filetracker server
(remote storage shared by the machines of a judge).  Which one is decided
by ``environ['use_filetracker']``:

``true``
    every name is a filetracker path (``/tests/1.in``); the default when a
    filetracker is configured: ``environ['filetracker_url']``, else the
    environment variable ``FILETRACKER_URL``, else a client given to
    :func:`set_instance`.
``false``
    every name is a local path; the default when nothing is configured.
``"auto"``
    absolute names are filetracker paths, relative names are local files.

Relative local paths are relative to the directory :func:`sio.workers.run`
was called from, not to the job's temporary directory.

Files fetched from a filetracker are kept in a local cache (see
:func:`sio.workers.defaults.filetracker_cache_dir`), so fetching the same
version again costs a local copy and, for an unversioned name, one
question to the server about the current version.
"""

import os

from sio.workers.exceptions import Failure
from sio.workers.keys import flag, required

AUTO = 'auto'
_chosen_client = None  # set by set_instance()


# -- which storage ------------------------------------------------------------

def configured_url(environ=None):
    """The filetracker URL for ``environ``, else from ``FILETRACKER_URL``, or None."""
    from sio.workers.defaults import FILETRACKER_URL_VARIABLE

    url = environ.get('filetracker_url') if environ else None
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise Failure("key 'filetracker_url' must be a URL such as "
                      "'http://127.0.0.1:9999', not %r" % (url,))
    return (url or os.environ.get(FILETRACKER_URL_VARIABLE) or '').rstrip('/') or None


def filetracker_mode(environ):
    """``True``, ``False`` or ``"auto"``: what ``use_filetracker`` says."""
    value = environ.get('use_filetracker')
    if value is None:
        return _chosen_client is not None or configured_url(environ) is not None
    if isinstance(value, str) and value.lower() == AUTO:
        return AUTO
    try:
        return flag(environ, 'use_filetracker')
    except Failure:
        raise Failure("key 'use_filetracker' must be true, false or \"auto\", not %r"
                      % (value,)) from None


def is_remote(environ, key, name):
    """Whether ``name`` (the value of ``environ[key]``) is a filetracker path."""
    mode = filetracker_mode(environ)
    if mode == AUTO:
        return name.startswith('/')
    if mode and not name.startswith('/'):
        raise Failure('key %r names %r, which is no filetracker path (those start '
                      'with /); for a local file set "use_filetracker" to false or '
                      '"auto"' % (key, name))
    return mode


def instance(environ=None):
    """The filetracker client for ``environ`` (or for the process).

    The client for ``environ['filetracker_url']`` if given, else the one set
    with :func:`set_instance`, else the one for ``FILETRACKER_URL``.  Clients
    are made once per URL and cache directory, and reused.  Raises
    :class:`~sio.workers.Failure` when no filetracker is configured.
    """
    from sio.workers import _ftclient

    url = configured_url(environ) if environ and environ.get('filetracker_url') else None
    if url is None and _chosen_client is not None:
        return _chosen_client
    url = url or configured_url()
    if url is None:
        raise Failure("no filetracker is configured: set the environ key "
                      "'filetracker_url' or the environment variable FILETRACKER_URL")
    return _ftclient.client_for(url)


def set_instance(client):
    """Makes ``client`` (a ``filetracker.client.Client``) the process's client.

    ``None`` forgets it again.  An environ's own ``filetracker_url`` still wins.
    """
    global _chosen_client
    _chosen_client = client


def init_instance(filetracker_url):
    """Makes the client for ``filetracker_url`` the process's client (the
    original's name; an environ's own ``filetracker_url`` still wins)."""
    from sio.workers import _ftclient

    set_instance(_ftclient.client_for(filetracker_url.rstrip('/')))


def launch_filetracker_server():
    """Starts a local filetracker server in the background for
    ``FILETRACKER_PUBLIC_URL`` unless one answers there, and returns once
    it does; without that variable it does nothing (as the original).
    Returns the new server's pid (its session leader), else ``None``.

    The server listens where the URL says (the original listened on every
    interface); see :mod:`sio.workers.ftserver`.
    """
    from sio.workers import defaults, ftserver

    url = os.environ.get(defaults.FILETRACKER_PUBLIC_URL_VARIABLE, '').split()
    if url:
        return ftserver.launch_in_background(url[0].rstrip('/'))
    return None


# -- local files --------------------------------------------------------------

def _caller_dir():
    from sio.workers.context import current_job

    job = current_job()
    if job is not None and job.caller_dir:
        return job.caller_dir
    return os.getcwd()


def _local_path(name):
    return name if os.path.isabs(name) else os.path.join(_caller_dir(), name)


def _part_name(path):
    directory, base = os.path.split(path)
    return os.path.join(directory, '.%s.%d.%s.part' % (base, os.getpid(), os.urandom(3).hex()))


def _make_parent(path):
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)


def _remove_quietly(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _copy_into_place(source, target):
    """Copies ``source`` to ``target`` so that no half-written ``target`` exists."""
    import shutil

    _make_parent(target)
    part = _part_name(target)
    try:
        shutil.copy(source, part)
        os.replace(part, target)
    finally:
        _remove_quietly(part)


# -- the calls jobs use -------------------------------------------------------

def download(environ, key, dest=None, skip_if_exists=False, **kwargs):
    """Fetches the file named by ``environ[key]``; returns the local path.

    ``dest`` is where to put it, relative to the current directory (the
    job's temporary directory); by default the file's base name.  With
    ``skip_if_exists``, an existing ``dest`` is kept as it is.  For a
    filetracker file, ``add_to_cache`` (default true) keeps a copy in the
    local cache and ``force_refresh`` ignores the cache.  The file is
    written under a temporary name and renamed, so ``dest`` is either
    complete or absent.
    """
    name = required(environ, key, str)
    remote = is_remote(environ, key, name)
    if dest is None:
        dest = os.path.basename(name.rsplit('@', 1)[0] if remote else name)
    if skip_if_exists and os.path.exists(dest):
        return dest
    if remote:
        _download_remote(environ, key, name, dest, **kwargs)
        return dest
    source = _local_path(name)
    if not os.path.isfile(source):
        raise Failure('file %r named by key %r does not exist' % (name, key))
    if os.path.abspath(source) != os.path.abspath(dest):
        _copy_into_place(source, dest)
    return dest


def read_path(environ, key, dest=None, **kwargs):
    """A local path to *read* the file named by ``environ[key]`` from.

    For a local file that is the file itself, with no copy; a remote file
    is downloaded to ``dest`` as by :func:`download`.  Only for files the
    job reads itself (or hands over as an open descriptor to a trusted
    program): a program that may write to its files gets a copy from
    :func:`download` instead.
    """
    name = required(environ, key, str)
    if is_remote(environ, key, name):
        return download(environ, key, dest, **kwargs)
    source = _local_path(name)
    if not os.path.isfile(source):
        raise Failure('file %r named by key %r does not exist' % (name, key))
    return source


def upload(environ, key, source, dest=None, **kwargs):
    """Stores the local file ``source`` under ``dest`` or ``environ[key]``.

    The name it was stored under is written back into ``environ[key]``: for
    a filetracker path, the versioned name (``/out/1.out@1700000000``) the
    server gave it.  ``add_to_cache`` (default false) also keeps a copy in
    the local cache, for a later :func:`download` on this machine;
    ``to_remote_store=False`` (alias ``to_remote``) keeps the file in that
    cache only, under its filetracker name, without sending it to the
    server.
    """
    name = dest or required(environ, key, str)
    if not isinstance(name, str) or not name:
        raise Failure('cannot store %r under key %r: the destination must be a '
                      'path, not %r' % (source, key, name))
    if not os.path.isfile(source):
        raise Failure('cannot store %r under key %r: no such file' % (source, key))
    if is_remote(environ, key, name):
        stored = _upload_remote(environ, key, source, name, **kwargs)
    else:
        _copy_into_place(source, _local_path(name))
        stored = name
    environ[key] = stored
    return stored


# -- filetracker --------------------------------------------------------------

def _storage_failure(action, name, key, client, exc):
    from sio.workers import _ftclient

    url = _ftclient.remote_url(client)
    if _ftclient.is_missing(exc):
        return Failure('file %r named by key %r does not exist in the filetracker at %s'
                       % (name, key, url))
    return Failure('cannot %s %r (key %r) %s the filetracker at %s: %s'
                   % (action, name, key, 'from' if action == 'fetch' else 'in',
                      url, _ftclient.describe(exc)))


def _download_remote(environ, key, name, dest, add_to_cache=True, force_refresh=False,
                     **kwargs):
    from sio.workers import _ftclient

    client = instance(environ)
    part = _part_name(dest)
    try:
        _make_parent(dest)
        fetch = name
        if add_to_cache and not force_refresh and '@' not in os.path.basename(name) \
                and client.local_store and client.remote_store:
            # An unversioned name would skip the cache: ask which version is
            # current (a cheap HEAD) and fetch that version, cache first.
            version = client.file_version(name)
            if version:
                fetch = '%s@%d' % (name, version)
        # The cache is filled here rather than by get_file(add_to_cache=True),
        # which may keep the file with a time stamp other than its version,
        # so that the cache would never find it again.
        client.get_file(fetch, part, add_to_cache=False, force_refresh=force_refresh,
                        **kwargs)
        _unshare(part)
        if add_to_cache and '@' in os.path.basename(fetch) and client.local_store \
                and not client.local_store.exists(fetch):
            _add_to_cache(client, fetch, part)
        os.replace(part, dest)
    except _ftclient.client_errors() as e:
        raise _storage_failure('fetch', name, key, client, e) from e
    finally:
        _remove_quietly(part)


def _unshare(path):
    """The cache hands out hard links; a job may change its file in place
    (chmod, rewrite), which must not change the cached copy."""
    if os.stat(path).st_nlink > 1:
        _copy_into_place(path, path)


def _upload_remote(environ, key, source, name, add_to_cache=False, to_remote_store=True,
                   **kwargs):
    from sio.workers import _ftclient

    client = instance(environ)
    kwargs.pop('to_local_store', None)
    to_remote_store = kwargs.pop('to_remote', to_remote_store)
    try:
        if not to_remote_store and client.local_store:
            # Kept on this machine only, in the cache, under its remote name.
            return client.put_file(name, source, to_local_store=True,
                                   to_remote_store=False, **kwargs)
        stored = client.put_file(name, source, to_local_store=False, **kwargs)
        if add_to_cache and client.local_store:
            _add_to_cache(client, stored, source)
    except _ftclient.client_errors() as e:
        raise _storage_failure('store', name, key, client, e) from e
    return stored


class _Reader:
    """A stream without a ``name``: the cache then copies it (with the
    version as its time stamp) instead of hard-linking the job's file."""

    def __init__(self, file):
        self.read = file.read


def _add_to_cache(client, versioned_name, source):
    lock = client.lock_manager.lock_for(versioned_name)
    lock.lock_exclusive()
    try:
        with open(source, 'rb') as file:
            client.local_store.add_stream(versioned_name, _Reader(file))
    finally:
        lock.close()
