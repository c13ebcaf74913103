"""Building sandbox archives and storing them in a filetracker server."""

import io
import tarfile
import time

from sio.workers import ft

_version = [int(time.time()) + 1000]


def next_version():
    """Versions newer than anything stored so far."""
    _version[0] += 10
    return _version[0]


def make_archive(path, members):
    """``members``: (name, kind, payload, mode) tuples; kind is file, dir,
    symlink, hardlink or chardev."""
    with tarfile.open(str(path), 'w:gz') as tar:
        for name, kind, payload, mode in members:
            info = tarfile.TarInfo(name)
            info.mode = mode
            info.mtime = 1600000000
            data = None
            if kind == 'file':
                data = payload if isinstance(payload, bytes) else payload.encode()
                info.size = len(data)
            elif kind == 'dir':
                info.type = tarfile.DIRTYPE
            elif kind == 'symlink':
                info.type, info.linkname = tarfile.SYMTYPE, payload
            elif kind == 'hardlink':
                info.type, info.linkname = tarfile.LNKTYPE, payload
            elif kind == 'chardev':
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return str(path)


def store(url, name, archive, version=None):
    remote = '/sandboxes/%s.tar.gz@%d' % (name, version or next_version())
    return ft.upload({'filetracker_url': url, 'f': remote}, 'f', archive)
