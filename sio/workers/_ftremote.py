"""The filetracker server as seen from a job: its HTTP protocol, bounded.

filetracker's :class:`~filetracker.client.Client` keeps the local cache and
its locks, and takes the store behind it as its ``remote_store`` argument:
any :class:`~filetracker.client.data_store.DataStore` (both are in
filetracker's API reference).  :class:`RemoteStore` is such a store.  It
talks the server's documented HTTP protocol (version 2: filetracker-server
2.1 and newer) through a :class:`requests.Session` of each thread, and
gives every request a timeout, asked of ``timeout()`` just before the
request is sent, so that a server which accepts a connection and then
stays silent fails the request instead of hanging the job.  filetracker's
own remote store sends its requests with no timeout and has no way to be
given one.
"""

import email.utils
import gzip
import hashlib
import logging
import os
import tempfile
import threading
import urllib.parse

import requests
from filetracker.client import FiletrackerError
from filetracker.client.data_store import DataStore
from filetracker.utils import split_name, versioned_name

logger = logging.getLogger(__name__)

PROTOCOL_VERSION = 2
CHUNK_BYTES = 64 * 1024


class ServerError(FiletrackerError):
    """The server answered with an error status (``status``, e.g. 404)."""

    def __init__(self, status, reason):
        super().__init__('HTTP/%d: %s' % (status, reason))
        self.status = status


def _parse_version(response):
    """The file version (a Unix time) in the ``Last-Modified`` header, or None."""
    stamp = response.headers.get('Last-Modified')
    parsed = email.utils.parsedate_tz(stamp) if stamp else None
    return int(email.utils.mktime_tz(parsed)) if parsed else None


def _version_param(version):
    """The ``last_modified`` query parameter: ``version``, or now if None."""
    return {'last_modified': email.utils.formatdate(version)}


class RemoteStore(DataStore):
    """The files of the filetracker server at ``base_url``.

    ``timeout`` is called before each request for the seconds the server
    may take to accept the connection and, after that, between any two
    pieces of its answer.
    """

    def __init__(self, base_url, timeout):
        self.base_url = base_url.rstrip('/')
        self._timeout = timeout
        self._sessions = threading.local()
        self._protocol_known = False

    # -- HTTP ------------------------------------------------------------------

    def _session(self):
        """This thread's session.  A forked child makes its own rather than
        share the pooled connections of its parent's."""
        local = self._sessions
        if getattr(local, 'pid', None) != os.getpid():
            local.session, local.pid = requests.Session(), os.getpid()
        return local.session

    def _request(self, method, endpoint, name='', missing_ok=False, **kwargs):
        url = self.base_url + endpoint + urllib.parse.quote(name)
        response = self._session().request(method, url, timeout=self._timeout(), **kwargs)
        if response.status_code >= 400 and not (missing_ok and response.status_code == 404):
            reason = response.headers.get('X-Exception') or response.reason or ''
            response.close()
            raise ServerError(response.status_code, reason.strip())
        return response

    def _check_protocol(self):
        """Before the first change to the server's files: does it speak ours?"""
        if self._protocol_known:
            return
        with self._request('GET', '/version/', missing_ok=True) as response:
            said = response.json() if response.status_code == 200 else {}
        versions = (said.get('protocol_versions') if isinstance(said, dict) else None) or []
        if PROTOCOL_VERSION not in versions:
            raise FiletrackerError(
                'the server at %s does not speak version %d of the filetracker '
                'protocol (filetracker-server 2.1 or newer does)%s'
                % (self.base_url, PROTOCOL_VERSION,
                   '; it offers %s' % versions if versions else ''))
        logger.debug('the filetracker at %s speaks protocol version %d',
                     self.base_url, PROTOCOL_VERSION)
        self._protocol_known = True

    def _head(self, name, missing_ok=False):
        path, _ = split_name(name)
        response = self._request('HEAD', '/files', path, missing_ok=missing_ok)
        response.close()
        return response

    # -- reading ---------------------------------------------------------------

    def exists(self, name):
        _, version = split_name(name)
        response = self._head(name, missing_ok=True)
        if response.status_code == 404:
            return False
        return version is None or _parse_version(response) in (None, version)

    def file_version(self, name):
        return _parse_version(self._head(name))

    def file_size(self, name):
        response = self._head(name)
        if response.headers.get('Content-Encoding') == 'gzip':
            return int(response.headers.get('Logical-Size', 0))
        return int(response.headers.get('Content-Length', 0))

    def _open(self, name):
        """The streamed answer to a GET of ``name`` and the name's versioned form."""
        path, version = split_name(name)
        response = self._request('GET', '/files', path, stream=True)
        served = _parse_version(response)
        if version is not None and served is not None and served != version:
            response.close()
            raise FiletrackerError('%s is not on the server, which has version %d'
                                   % (name, served))
        return response, versioned_name(path, served)

    def get_stream(self, name):
        response, vname = self._open(name)
        return _ResponseReader(response), vname

    def get_file(self, name, filename):
        response, vname = self._open(name)
        with response:
            directory = os.path.dirname(filename)
            if directory:
                os.makedirs(directory, exist_ok=True)
            with open(filename, 'wb') as out:
                for chunk in response.iter_content(CHUNK_BYTES):
                    out.write(chunk)
        return vname

    # -- changing --------------------------------------------------------------

    def add_stream(self, name, file):
        return self._put(name, file, compress=True)

    def add_file(self, name, filename, compress_hint=True):
        with open(filename, 'rb') as file:
            return self._put(name, file, compress=compress_hint)

    def _put(self, name, file, compress):
        """Sends ``file``: gzipped, with the digest and size of its content
        (which lets the server skip a content it has), unless ``compress``
        is false (the server then compresses it itself)."""
        self._check_protocol()
        path, version = split_name(name)
        params = _version_param(version)
        if compress:
            with tempfile.TemporaryFile() as body:
                headers = _gzip_into(file, body)
                body.seek(0)
                response = self._request('PUT', '/files', path, data=body,
                                         headers=headers, params=params)
        else:
            response = self._request('PUT', '/files', path, data=file, params=params)
        response.close()
        return versioned_name(path, _parse_version(response))

    def delete_file(self, name):
        self._check_protocol()
        path, version = split_name(name)
        self._request('DELETE', '/files', path, params=_version_param(version)).close()

    def list_files(self, version=None, subpath='', absolute_paths=False):
        """Names of the files under ``subpath`` not newer than ``version``
        (the arguments of ``Client.list_remote_files``)."""
        self._check_protocol()
        response = self._request('GET', '/list', subpath or '/',
                                 params=_version_param(version))
        names = [line for line in response.text.split('\n') if line]
        prefix = subpath.strip('/')
        if absolute_paths and prefix:
            return ['%s/%s' % (prefix, line) for line in names]
        return names


def _gzip_into(file, body):
    """Writes ``file`` gzipped into ``body``; the headers that describe it."""
    digest, size = hashlib.sha256(), 0
    with gzip.GzipFile(fileobj=body, mode='wb') as packed:
        for chunk in iter(lambda: file.read(CHUNK_BYTES), b''):
            digest.update(chunk)
            size += len(chunk)
            packed.write(chunk)
    return {'Content-Encoding': 'gzip', 'SHA256-Checksum': digest.hexdigest(),
            'Logical-Size': str(size)}


class _ResponseReader:
    """A binary stream over a streamed answer, its content un-gzipped."""

    def __init__(self, response):
        self._response = response
        self._chunks = response.iter_content(CHUNK_BYTES)
        self._pending = b''

    def read(self, size=-1):
        if size is None or size < 0:
            data = self._pending + b''.join(self._chunks)
            self._pending = b''
            return data
        while len(self._pending) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._pending += chunk
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def close(self):
        self._response.close()
