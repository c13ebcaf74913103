"""``additional_archive``: a zip archive unpacked beside the source.

OIOIOI sends a problem package's ``prog/`` folder this way, so that the
package's own programs (ingen, inwer, checker) find the headers and files
they include.  As in the original sioworkers, every member is placed at
its path in the archive, folders included, and a member is left out,
without failing the job, if it would replace a file already there (the
source, an include) or lie outside the compilation directory.  Further:

* only files and folders are unpacked; an archive holding a symbolic link,
  a device or a pipe is refused (the job fails);
* the archive may hold at most :data:`~sio.compilers.defaults.ARCHIVE_MEMBERS_LIMIT`
  members of at most :data:`~sio.compilers.defaults.ARCHIVE_SIZE_LIMIT`
  bytes in all;
* files are created, never opened if they exist, and never through a link;
  their permission bits are kept, without set-user-ID and set-group-ID.
"""

import os
import stat
import zipfile
import zlib

from sio.compilers import defaults
from sio.workers import ft
from sio.workers.exceptions import Failure

KEY = 'additional_archive'
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0)
_CHUNK = 1 << 20


def unpack_beside_source(environ):
    """Unpacks ``environ['additional_archive']``, if given, into the
    current directory (the job's)."""
    if not environ.get(KEY):
        return
    archive = ft.read_path(environ, KEY, defaults.ARCHIVE_DOWNLOAD)
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = _checked_members(environ[KEY], zipped)
            budget = [defaults.ARCHIVE_SIZE_LIMIT]
            for member, parts in members:
                _place(environ[KEY], zipped, member, parts, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError,
            NotImplementedError) as e:
        raise Failure('key %r: %r is not a readable zip archive: %s'
                      % (KEY, environ[KEY], e)) from e
    finally:
        if archive == defaults.ARCHIVE_DOWNLOAD:
            os.unlink(archive)


def _refuse(name, member, why):
    raise Failure('key %r: archive %r: member %r %s; refusing the archive'
                  % (KEY, name, member.filename, why))


def _checked_members(name, zipped):
    """``[(member, path parts)]`` to unpack, folders first in archive order;
    members outside the directory are left out."""
    members = zipped.infolist()
    if len(members) > defaults.ARCHIVE_MEMBERS_LIMIT:
        raise Failure('key %r: archive %r has %d members, more than %d'
                      % (KEY, name, len(members), defaults.ARCHIVE_MEMBERS_LIMIT))
    total = sum(member.file_size for member in members)
    if total > defaults.ARCHIVE_SIZE_LIMIT:
        raise Failure('key %r: archive %r holds %d bytes, more than %d'
                      % (KEY, name, total, defaults.ARCHIVE_SIZE_LIMIT))
    kept = []
    for member in members:
        kind = stat.S_IFMT(member.external_attr >> 16)
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            _refuse(name, member, 'is neither a file nor a folder')
        if member.flag_bits & 0x1:
            _refuse(name, member, 'is encrypted')
        parts = [part for part in member.filename.split('/') if part not in ('', '.')]
        if parts and '..' not in parts and not member.filename.startswith('/'):
            kept.append((member, parts))
    return kept


def _is_folder(member):
    return member.is_dir() or stat.S_ISDIR(member.external_attr >> 16)


def _place(name, zipped, member, parts, budget):
    """Creates the member's folders, then the member, unless something
    that is no folder of ours is in the way."""
    folders = parts if _is_folder(member) else parts[:-1]
    path = '.'
    for part in folders:
        path = os.path.join(path, part)
        try:
            os.mkdir(path, 0o755)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return  # a file of the same name was placed before
    if _is_folder(member):
        return
    path = os.path.join(path, parts[-1])
    try:
        fd = os.open(path, _WRITE_FLAGS, 0o600)
    except FileExistsError:
        return  # never replaces a file placed before (the source, an include)
    with os.fdopen(fd, 'wb') as target, zipped.open(member) as source:
        while True:
            chunk = source.read(_CHUNK)
            if not chunk:
                break
            budget[0] -= len(chunk)
            if budget[0] < 0:
                _refuse(name, member, 'unpacks to more than its stated size')
            target.write(chunk)
    mode = (member.external_attr >> 16) & 0o777
    os.chmod(path, (mode or 0o644) | stat.S_IRUSR | stat.S_IWUSR)
