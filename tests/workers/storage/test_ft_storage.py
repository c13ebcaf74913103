"""Files through sio.workers.ft: local, "auto" and filetracker storage."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from sio.workers import ft, run
from tests.support import free_port


def copy(**environ):
    """Runs a real job that reads one file and stores another: compiling an
    output-only answer copies ``in_file`` to ``out_file``."""
    environ = dict(environ, job_type='compile', compiler='output-only',
                   source_file=environ.pop('in_file'))
    return run(environ)


def put(url, name, text, tmp_path):
    source = tmp_path / ('src-%s' % os.urandom(3).hex())
    source.write_text(text)
    environ = {'filetracker_url': url, 'f': name}
    return ft.upload(environ, 'f', str(source))


def fetch(url, name, tmp_path, **kw):
    dest = str(tmp_path / ('dst-%s' % os.urandom(3).hex()))
    ft.download({'filetracker_url': url, 'f': name}, 'f', dest, **kw)
    with open(dest) as f:
        return f.read()


def test_round_trip_keeps_content_and_writes_versioned_name(filetracker_server, tmp_path,
                                                             unique):
    stored = put(filetracker_server, unique + '/a.txt', 'hello\n', tmp_path)
    assert stored.startswith(unique + '/a.txt@')
    assert fetch(filetracker_server, unique + '/a.txt', tmp_path) == 'hello\n'
    assert fetch(filetracker_server, stored, tmp_path) == 'hello\n'


def test_binary_round_trip(filetracker_server, tmp_path, unique):
    data = os.urandom(300000)
    (tmp_path / 'blob').write_bytes(data)
    environ = {'filetracker_url': filetracker_server, 'f': unique + '/blob'}
    ft.upload(environ, 'f', str(tmp_path / 'blob'))
    ft.download(environ, 'f', str(tmp_path / 'back'))
    assert (tmp_path / 'back').read_bytes() == data


def test_job_with_remote_files_via_run(filetracker_server, workdir, tmp_path, unique):
    put(filetracker_server, unique + '/in', 'data', tmp_path)
    environ = copy(**{'filetracker_url': filetracker_server,
                   'in_file': unique + '/in', 'out_file': unique + '/out'})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert environ['out_file'].startswith(unique + '/out@')
    assert fetch(filetracker_server, environ['out_file'], tmp_path) == 'data'
    assert os.listdir(str(workdir)) == []


def test_filetracker_url_from_the_environment(filetracker_server, workdir, tmp_path,
                                              unique, monkeypatch):
    put(filetracker_server, unique + '/in', 'x', tmp_path)
    monkeypatch.setenv('FILETRACKER_URL', filetracker_server)
    environ = copy(**{'in_file': unique + '/in',
                   'out_file': unique + '/out'})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert fetch(filetracker_server, unique + '/out', tmp_path) == 'x'


def test_use_filetracker_false_keeps_everything_local(filetracker_server, workdir, unique):
    (workdir / 'in.txt').write_text('local')
    environ = copy(**{'filetracker_url': filetracker_server,
                   'use_filetracker': False, 'in_file': 'in.txt', 'out_file': 'sub/out.txt'})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert environ['out_file'] == 'sub/out.txt'
    assert (workdir / 'sub' / 'out.txt').read_text() == 'local'
    assert filetracker_server.requests_for('/sub/out.txt', 'PUT') == 0


def test_auto_mixes_local_relative_and_remote_absolute(filetracker_server, workdir,
                                                       tmp_path, unique):
    put(filetracker_server, unique + '/in', 'remote', tmp_path)
    environ = copy(**{'filetracker_url': filetracker_server,
                   'use_filetracker': 'auto', 'in_file': unique + '/in',
                   'out_file': 'out.txt'})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert (workdir / 'out.txt').read_text() == 'remote'
    (workdir / 'local.txt').write_text('here')
    environ = copy(**{'filetracker_url': filetracker_server,
                   'use_filetracker': 'auto', 'in_file': 'local.txt',
                   'out_file': unique + '/out'})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert fetch(filetracker_server, unique + '/out', tmp_path) == 'here'


def test_use_filetracker_true_refuses_relative_names(filetracker_server, workdir):
    (workdir / 'in.txt').write_text('x')
    environ = copy(**{'filetracker_url': filetracker_server,
                   'use_filetracker': True, 'in_file': 'in.txt', 'out_file': 'o'})
    assert environ['result'] == 'FAILURE'
    assert "'source_file'" in environ['exception']
    assert 'start with /' in environ['exception']


def test_without_configuration_local_files_work(workdir):
    (workdir / 'in.txt').write_text('plain')
    environ = copy(**{'in_file': 'in.txt', 'out_file': '/'.join(
        [str(workdir), 'abs-out.txt'])})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert (workdir / 'abs-out.txt').read_text() == 'plain'


def test_true_without_any_filetracker_says_how_to_configure(workdir):
    environ = copy(**{'use_filetracker': True,
                   'in_file': '/x/in', 'out_file': '/x/out'})
    assert environ['result'] == 'FAILURE'
    assert 'filetracker_url' in environ['exception']
    assert 'FILETRACKER_URL' in environ['exception']


@pytest.mark.parametrize('value', ['sometimes', 7, [True]])
def test_bad_use_filetracker_value_is_named(workdir, value):
    environ = copy(**{'use_filetracker': value,
                   'in_file': 'a', 'out_file': 'b'})
    assert environ['result'] == 'FAILURE'
    assert "'use_filetracker'" in environ['exception'] and 'auto' in environ['exception']


def test_missing_remote_file_is_named(filetracker_server, workdir, unique):
    environ = copy(**{'filetracker_url': filetracker_server,
                   'in_file': unique + '/nothing', 'out_file': unique + '/out'})
    assert environ['result'] == 'FAILURE'
    assert unique + '/nothing' in environ['exception']
    assert "'source_file'" in environ['exception']
    assert 'does not exist' in environ['exception']
    assert os.listdir(str(workdir)) == []


def test_second_download_of_a_version_does_not_touch_the_server(filetracker_server,
                                                                tmp_path, unique):
    stored = put(filetracker_server, unique + '/c', 'cached', tmp_path)
    assert fetch(filetracker_server, unique + '/c', tmp_path) == 'cached'
    assert filetracker_server.requests_for(unique + '/c') == 1
    assert fetch(filetracker_server, unique + '/c', tmp_path) == 'cached'
    assert fetch(filetracker_server, stored, tmp_path) == 'cached'
    # Only the cheap version questions (HEAD) for the unversioned name.
    assert filetracker_server.requests_for(unique + '/c') == 1
    assert filetracker_server.requests_for(unique + '/c', 'HEAD') == 2


def test_cached_versioned_file_is_served_with_the_server_down(filetracker_server, tmp_path,
                                                              unique, monkeypatch):
    stored = put(filetracker_server, unique + '/d', 'kept', tmp_path)
    assert fetch(filetracker_server, stored, tmp_path) == 'kept'
    down = 'http://127.0.0.1:%d' % free_port()
    dest = tmp_path / 'from-cache'
    # Same cache, a URL where nothing answers: the cache alone serves it.
    from sio.workers import _ftclient
    client = _ftclient.client_for(filetracker_server)
    ft.set_instance(client)
    client.remote_store.base_url = down
    try:
        ft.download({'f': stored}, 'f', str(dest))
    finally:
        client.remote_store.base_url = filetracker_server
    assert dest.read_text() == 'kept'


def test_changing_a_downloaded_file_leaves_the_cache_intact(filetracker_server, tmp_path,
                                                            unique):
    stored = put(filetracker_server, unique + '/e', 'original', tmp_path)
    dest = tmp_path / 'mine'
    ft.download({'filetracker_url': filetracker_server, 'f': stored}, 'f', str(dest))
    dest.write_text('scribbled')
    os.chmod(str(dest), 0o700)
    assert fetch(filetracker_server, stored, tmp_path) == 'original'


def test_add_to_cache_false_skips_the_cache(filetracker_server, tmp_path, unique):
    stored = put(filetracker_server, unique + '/f', 'fresh', tmp_path)
    fetch(filetracker_server, stored, tmp_path, add_to_cache=False)
    fetch(filetracker_server, stored, tmp_path, add_to_cache=False)
    assert filetracker_server.requests_for(unique + '/f') == 2


def test_upload_with_add_to_cache_serves_later_downloads_locally(filetracker_server,
                                                                 tmp_path, unique):
    (tmp_path / 'up').write_text('up')
    environ = {'filetracker_url': filetracker_server, 'f': unique + '/g'}
    ft.upload(environ, 'f', str(tmp_path / 'up'), add_to_cache=True)
    assert fetch(filetracker_server, environ['f'], tmp_path) == 'up'
    assert filetracker_server.requests_for(unique + '/g') == 0


def test_refused_connection_is_a_clear_failure(workdir):
    url = 'http://127.0.0.1:%d' % free_port()
    environ = copy(**{'filetracker_url': url,
                   'in_file': '/a/in', 'out_file': '/a/out'})
    assert environ['result'] == 'FAILURE'
    assert url in environ['exception'] and 'does not answer' in environ['exception']
    assert os.listdir(str(workdir)) == []


def test_silent_server_fails_in_bounded_time(workdir, monkeypatch):
    monkeypatch.setenv('SIO_FILETRACKER_TIMEOUT', '1')
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(('127.0.0.1', 0))
        silent.listen(16)
        url = 'http://127.0.0.1:%d' % silent.getsockname()[1]
        started = time.monotonic()
        environ = copy(**{'filetracker_url': url,
                       'in_file': '/a/in', 'out_file': '/a/out'})
        elapsed = time.monotonic() - started
    assert environ['result'] == 'FAILURE'
    assert url in environ['exception'] and 'does not answer' in environ['exception']
    assert elapsed < 30  # generous: the point is that it does not hang
    assert os.listdir(str(workdir)) == []


def test_failed_download_leaves_no_partial_file(tmp_path):
    url = 'http://127.0.0.1:%d' % free_port()
    with pytest.raises(ft.Failure):
        ft.download({'filetracker_url': url, 'f': '/x/y'}, 'f', str(tmp_path / 'y'))
    assert os.listdir(str(tmp_path)) == ['cache'] or os.listdir(str(tmp_path)) == []


def test_bad_filetracker_url_is_named(workdir):
    environ = copy(**{'filetracker_url': 42,
                   'in_file': '/a', 'out_file': '/b'})
    assert environ['result'] == 'FAILURE'
    assert "'filetracker_url'" in environ['exception']


def test_instance_and_set_instance(filetracker_server, monkeypatch):
    from filetracker.client import Client

    with pytest.raises(ft.Failure):
        ft.instance()
    monkeypatch.setenv('FILETRACKER_URL', filetracker_server)
    first = ft.instance()
    assert ft.instance() is first  # made once, reused
    own = Client(remote_url=filetracker_server, cache_dir=None)
    ft.set_instance(own)
    assert ft.instance() is own
    assert ft.instance({'filetracker_url': filetracker_server}) is first


def test_missing_filetracker_package_says_what_to_install(tmp_path):
    program = (
        "import sys, json\n"
        "sys.modules['filetracker'] = None  # as if it were not installed\n"
        "from sio.workers import run\n"
        "print(json.dumps(run({'job_type': 'ping', 'filetracker_url': 'http://127.0.0.1:1',"
        " 'ping': 1})))\n"
        "from sio.workers import ft\n"
        "try:\n"
        "    ft.download({'filetracker_url': 'http://127.0.0.1:1', 'f': '/a'}, 'f')\n"
        "except ft.Failure as e:\n"
        "    print(e)\n")
    out = subprocess.run([sys.executable, '-c', program], capture_output=True, text=True,
                         cwd=str(tmp_path), timeout=60)
    lines = out.stdout.splitlines()
    assert json.loads(lines[0])['result'] == 'SUCCESS', out.stderr
    assert 'sioworkers[filetracker]' in lines[1]
