"""Unpacking a sandbox archive without letting it write outside its folder.

:mod:`tarfile`'s own extraction follows symbolic links it has just created
and, with its ``data`` filter, refuses absolute link targets, which a root
file system needs (``/lib64/ld-linux-x86-64.so.2 -> /lib/...``).  So members
are written here one by one:

* a member must lie inside the top-level folder ``<name>/``: no absolute
  path, no ``..``, no path through a symbolic link of the archive;
* a symbolic link's target is resolved as it would be with the sandbox as
  the root file system (absolute targets start at the sandbox folder,
  relative ones at the link's folder) and must stay inside it;
* a hard link must point at a regular file unpacked before it;
* only regular files, folders and links; devices and pipes are refused;
* permission bits are kept (executables stay executable), set-user-ID and
  set-group-ID bits are dropped.
"""

import gzip
import os
import posixpath
import shutil
import stat
import tarfile
import zlib

from sio.workers.exceptions import Failure

_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0)


class _Unpacker:
    def __init__(self, archive_name, top, dest):
        self.archive_name = archive_name
        self.top = top
        self.dest = dest
        self.links = set()  # relative paths of symbolic links unpacked
        self.files = set()  # relative paths of regular files unpacked
        self.dir_modes = {}

    def refuse(self, member, why):
        raise Failure('sandbox archive %s: member %r %s; refusing to unpack it'
                      % (self.archive_name, member.name, why))

    def relative(self, member):
        name = member.name
        if name.startswith('/') or (len(name) > 1 and name[1] == ':'):
            self.refuse(member, 'has an absolute path')
        parts = [p for p in name.split('/') if p not in ('', '.')]
        if '..' in parts:
            self.refuse(member, 'contains ".."')
        if not parts or parts[0] != self.top:
            self.refuse(member, 'lies outside the folder %r the archive must hold'
                        % (self.top + '/'))
        for i in range(1, len(parts)):
            if '/'.join(parts[:i]) in self.links:
                self.refuse(member, 'would be written through the symbolic link %r'
                            % '/'.join(parts[:i]))
        return '/'.join(parts)

    def check_symlink(self, member, relative):
        target = member.linkname
        if target.startswith('/'):
            resolved = posixpath.normpath(self.top + target)
        else:
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(relative), target))
        if resolved != self.top and not resolved.startswith(self.top + '/'):
            self.refuse(member, 'is a link pointing outside the sandbox (%r)' % target)

    def unpack(self, tar, member):
        relative = self.relative(member)
        path = os.path.join(self.dest, relative)
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent, 0o755, exist_ok=True)
        if member.isdir():
            if not os.path.isdir(path):
                self.remove_existing(member, path, relative)
                os.mkdir(path, 0o700)
            self.dir_modes[path] = member.mode & 0o777
        elif member.isreg():
            self.remove_existing(member, path, relative)
            self.write_file(tar, member, path)
            self.files.add(relative)
        elif member.issym():
            self.check_symlink(member, relative)
            self.remove_existing(member, path, relative)
            os.symlink(member.linkname, path)
            self.links.add(relative)
        elif member.islnk():
            try:
                target = self.relative(tarfile.TarInfo(member.linkname))
            except Failure:
                self.refuse(member, 'is a hard link to %r, outside the sandbox'
                            % member.linkname)
            if target not in self.files:
                self.refuse(member, 'is a hard link to %r, which is no file unpacked '
                            'before it' % member.linkname)
            self.remove_existing(member, path, relative)
            os.link(os.path.join(self.dest, target), path)
            self.files.add(relative)
        else:
            self.refuse(member, 'is neither a file, a folder nor a link')

    def remove_existing(self, member, path, relative):
        if not os.path.lexists(path):
            return
        if os.path.isdir(path) and not os.path.islink(path):
            self.refuse(member, 'replaces a folder unpacked before it')
        os.unlink(path)
        self.links.discard(relative)
        self.files.discard(relative)

    def write_file(self, tar, member, path):
        source = tar.extractfile(member)
        fd = os.open(path, _WRITE_FLAGS, 0o600)
        with os.fdopen(fd, 'wb') as target:
            shutil.copyfileobj(source, target, 1 << 20)
        os.chmod(path, member.mode & 0o777)
        os.utime(path, (member.mtime, member.mtime))

    def finish(self):
        # Deepest first, so that a read-only folder is closed after its contents.
        for path in sorted(self.dir_modes, key=len, reverse=True):
            os.chmod(path, self.dir_modes[path] | stat.S_IRUSR | stat.S_IXUSR)


def unpack(archive_path, archive_name, top, dest):
    """Unpacks the gzipped tar ``archive_path`` into the empty folder ``dest``.

    ``dest/<top>`` is the sandbox; :class:`~sio.workers.Failure` for a
    member that would land outside it or an archive that is no tar.gz.
    """
    unpacker = _Unpacker(archive_name, top, dest)
    try:
        with tarfile.open(archive_path, 'r:gz') as tar:
            for member in tar:
                unpacker.unpack(tar, member)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise Failure('sandbox archive %s is not a readable .tar.gz archive: %s'
                      % (archive_name, e)) from e
    if not os.path.isdir(os.path.join(dest, top)):
        raise Failure('sandbox archive %s does not hold the folder %r'
                      % (archive_name, top + '/'))
    unpacker.finish()
