"""Unpacking a package kept as an archive (``.zip``, ``.tgz``, ``.tar.gz``...).

Only regular files and directories are unpacked, each inside the target
directory: an archive with a member that would land outside it (an
absolute name, ``..``), a link or a device is refused as a whole, before
anything is written.  A package whose files sit in one top directory of the
archive (``abc/config.yml``) is found there.
"""

import os
import shutil
import tarfile
import zipfile

from sio.sinol import PackageError

ARCHIVE_SUFFIXES = ('.zip', '.tgz', '.tar.gz', '.tar', '.tar.bz2', '.tar.xz', '.tbz2', '.txz')


def is_archive(path):
    return os.path.isfile(path) and path.lower().endswith(ARCHIVE_SUFFIXES)


def _checked_name(archive, name, target):
    root = os.path.realpath(target)
    destination = os.path.realpath(os.path.join(target, name))
    if os.path.isabs(name) or not (destination == root
                                   or destination.startswith(root + os.sep)):
        raise PackageError('%s: refusing the member %r, outside the package'
                           % (archive, name))
    return destination


def _zip_members(archive, zipped, target):
    members = []
    for info in zipped.infolist():
        kind = (info.external_attr >> 16) & 0o170000
        if kind not in (0, 0o100000, 0o040000):
            raise PackageError('%s: refusing the member %r: not a regular file'
                               % (archive, info.filename))
        members.append((_checked_name(archive, info.filename, target), info))
    return members


def _write(members):
    """Writes ``(destination, is_directory, open_source)`` members."""
    for destination, is_directory, open_source in members:
        if is_directory:
            os.makedirs(destination, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        with open_source() as source, open(destination, 'wb') as out:
            shutil.copyfileobj(source, out)


def _unzip(archive, target):
    with zipfile.ZipFile(archive) as zipped:
        _write((destination, info.is_dir(), lambda info=info: zipped.open(info))
               for destination, info in _zip_members(archive, zipped, target))


def _untar(archive, target):
    with tarfile.open(archive) as tarred:
        members = tarred.getmembers()
        for member in members:
            if not (member.isfile() or member.isdir()):
                raise PackageError('%s: refusing the member %r: not a regular file '
                                   'or directory' % (archive, member.name))
            _checked_name(archive, member.name, target)
        _write((_checked_name(archive, member.name, target), member.isdir(),
                lambda member=member: tarred.extractfile(member)) for member in members)


def unpack(archive, target):
    """Unpacks ``archive`` into the empty directory ``target``; returns the
    package's directory inside it."""
    content = os.path.join(target, 'content')
    os.mkdir(content)
    try:
        if archive.lower().endswith('.zip'):
            _unzip(archive, content)
        else:
            _untar(archive, content)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as e:
        raise PackageError('%s: not a readable archive: %s' % (archive, e)) from None
    entries = os.listdir(content)
    if 'config.yml' not in entries and len(entries) == 1 \
            and os.path.isdir(os.path.join(content, entries[0])):
        return os.path.join(content, entries[0])
    # The task id comes from the directory's name when config.yml has none.
    named = os.path.join(target, os.path.basename(archive).split('.')[0] or 'package')
    os.rename(content, named)
    return named
