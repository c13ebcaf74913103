"""The filetracker remote store of sio.workers: filetracker's public API
only, every request bounded in time, against real and misbehaving servers."""

import contextlib
import http.server
import os
import socket
import threading
import time

import pytest

from sio.workers import ft, run
from tests.workers.storage.test_ft_storage import fetch, put


@contextlib.contextmanager
def listening():
    """A socket on a free loopback port that accepts connections and never
    answers; yields its URL."""
    with socket.socket() as silent:
        silent.bind(('127.0.0.1', 0))
        silent.listen(16)
        yield 'http://127.0.0.1:%d' % silent.getsockname()[1]


@contextlib.contextmanager
def stalling_server(answer):
    """A server that reads each request, sends ``answer`` (the beginning
    of a reply) and then says nothing more; yields its URL."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(16)
    listener.settimeout(0.1)
    stop, connections = threading.Event(), []

    def serve():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except socket.timeout:
                continue
            connections.append(connection)
            connection.settimeout(10)
            request = b''
            while b'\r\n\r\n' not in request:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                request += chunk
            connection.sendall(answer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:%d' % listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        for connection in connections:
            connection.close()
        listener.close()


@contextlib.contextmanager
def http_server(handler):
    """A real HTTP server on loopback with ``handler``; yields its URL."""
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:%d' % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_filetracker_is_used_through_its_public_interface(filetracker_server, tmp_path,
                                                          unique):
    import requests
    from filetracker.client import Client, remote_data_store
    from filetracker.client.data_store import DataStore

    stored = put(filetracker_server, unique + '/a', 'a', tmp_path)
    assert fetch(filetracker_server, stored, tmp_path, add_to_cache=False) == 'a'
    client = ft.instance({'filetracker_url': filetracker_server})
    assert isinstance(client, Client) and isinstance(client.remote_store, DataStore)
    # Nothing inside filetracker was replaced.
    assert remote_data_store.requests is requests


def test_silent_server_fails_an_upload_in_bounded_time(tmp_path, monkeypatch):
    monkeypatch.setenv('SIO_FILETRACKER_TIMEOUT', '1')
    (tmp_path / 'up').write_text('up')
    with listening() as url:
        started = time.monotonic()
        with pytest.raises(ft.Failure) as failure:
            ft.upload({'filetracker_url': url, 'f': '/a/up'}, 'f', str(tmp_path / 'up'))
        elapsed = time.monotonic() - started
    assert url in str(failure.value) and 'does not answer' in str(failure.value)
    assert '1 s' in str(failure.value)
    assert elapsed < 30  # generous: the point is that it does not hang


def test_server_stalling_halfway_through_a_file_fails_in_bounded_time(tmp_path,
                                                                      monkeypatch):
    monkeypatch.setenv('SIO_FILETRACKER_TIMEOUT', '1')
    answer = (b'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n'
              b'Last-Modified: Tue, 01 Dec 2026 00:00:00 -0000\r\n\r\n' + b'x' * 1000)
    dest = tmp_path / 'half'
    with stalling_server(answer) as url:
        started = time.monotonic()
        with pytest.raises(ft.Failure) as failure:
            ft.download({'filetracker_url': url, 'f': '/a/half'}, 'f', str(dest),
                        add_to_cache=False)
        elapsed = time.monotonic() - started
    assert 'does not answer' in str(failure.value), failure.value
    assert elapsed < 30
    assert not dest.exists() and not [n for n in os.listdir(tmp_path) if 'half' in n]


def test_job_timeout_shortens_the_wait_for_a_silent_server(monkeypatch, tmp_path):
    # In a thread other than the main one, a job's deadline cannot interrupt
    # a blocking read: the request's own timeout, cut to a moment after the
    # job's deadline, is what ends it, and the job fails for its deadline.
    monkeypatch.setenv('SIO_FILETRACKER_TIMEOUT', '120')
    monkeypatch.chdir(tmp_path)
    results = []
    with listening() as url:
        environ = {'job_type': 'compile', 'compiler': 'output-only', 'job_timeout': 1500,
                   'filetracker_url': url, 'source_file': '/a/in', 'out_file': '/a/out'}
        started = time.monotonic()
        thread = threading.Thread(target=lambda: results.append(run(environ)))
        thread.start()
        thread.join(60)
        elapsed = time.monotonic() - started
    assert not thread.is_alive() and elapsed < 30
    assert results[0]['result'] == 'FAILURE'
    assert 'job_timeout' in results[0]['exception'], results[0]['exception']


class _OldServer(http.server.BaseHTTPRequestHandler):
    """Answers 404 to everything, as a server before protocol version 2."""

    def _missing(self):
        self.send_response(404)
        self.send_header('Content-Length', '0')
        self.end_headers()

    do_GET = do_HEAD = do_PUT = do_DELETE = _missing

    def log_message(self, *args):
        pass


def test_a_server_without_protocol_version_2_is_named(tmp_path):
    (tmp_path / 'up').write_text('up')
    with http_server(_OldServer) as url:
        with pytest.raises(ft.Failure) as failure:
            ft.upload({'filetracker_url': url, 'f': '/a/up'}, 'f', str(tmp_path / 'up'))
    message = str(failure.value)
    assert url in message and 'version 2 of the filetracker protocol' in message


def test_sizes_streams_lists_and_deletions_through_the_client(filetracker_server, tmp_path,
                                                              unique):
    client = ft.instance({'filetracker_url': filetracker_server})
    put(filetracker_server, unique + '/d/one', 'one', tmp_path)
    data = os.urandom(200000)
    (tmp_path / 'two').write_bytes(data)
    ft.upload({'filetracker_url': filetracker_server, 'f': unique + '/d/sub/two'}, 'f',
              str(tmp_path / 'two'))
    assert client.file_size(unique + '/d/sub/two') == len(data)
    stream, name = client.get_stream(unique + '/d/sub/two')
    assert name.startswith(unique + '/d/sub/two@')
    assert stream.read(10) + stream.read() == data
    assert sorted(client.list_remote_files(subpath=unique + '/d')) == ['one', 'sub/two']
    assert sorted(client.list_remote_files(subpath=unique + '/d', absolute_paths=True)) == [
        unique[1:] + '/d/one', unique[1:] + '/d/sub/two']
    client.delete_file(unique + '/d/one')
    assert client.list_remote_files(subpath=unique + '/d') == ['sub/two']
    with pytest.raises(ft.Failure) as failure:
        fetch(filetracker_server, unique + '/d/one', tmp_path)
    assert 'does not exist' in str(failure.value)
