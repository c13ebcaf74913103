"""Sandboxes: archives in the filetracker, unpacked once per version."""

import os
import signal
import subprocess
import time

import pytest

from sio.workers import Failure
from sio.workers.sandbox import get_sandbox
from tests.support import make_archive, store, tool


def simple_box(tmp_path, name, text='v1'):
    return make_archive(tmp_path / ('%s-%s.tar.gz' % (name, os.urandom(3).hex())), [
        (name, 'dir', None, 0o755),
        (name + '/bin', 'dir', None, 0o755),
        (name + '/bin/tool', 'file', '#!/bin/sh\necho %s\n' % text, 0o755),
        (name + '/data.txt', 'file', text, 0o644),
        (name + '/lib', 'symlink', '/usr/lib', 0o777),
        (name + '/tool-link', 'symlink', 'bin/tool', 0o777),
        (name + '/same-data', 'hardlink', name + '/data.txt', 0o644),
    ])


@pytest.fixture
def box(request):
    """A sandbox name unique to the test."""
    return 'box-%s' % os.urandom(4).hex()


@pytest.fixture
def configured(filetracker_server, monkeypatch):
    monkeypatch.setenv('FILETRACKER_URL', filetracker_server)
    return filetracker_server


def test_fetches_and_unpacks_with_modes_and_links(configured, tmp_path, box):
    store(configured, box, simple_box(tmp_path, box))
    sandbox = get_sandbox(box)
    assert os.path.basename(sandbox.path) == box
    tool_path = os.path.join(sandbox.path, 'bin', 'tool')
    assert os.stat(tool_path).st_mode & 0o777 == 0o755
    assert subprocess.run([tool_path], capture_output=True, text=True).stdout == 'v1\n'
    assert os.readlink(os.path.join(sandbox.path, 'lib')) == '/usr/lib'
    assert open(os.path.join(sandbox.path, 'same-data')).read() == 'v1'
    assert get_sandbox(box).path == sandbox.path
    assert configured.requests_for('/sandboxes/%s.tar.gz' % box) == 1


def test_sandbox_from_an_environ_url(filetracker_server, tmp_path, box):
    store(filetracker_server, box, simple_box(tmp_path, box))
    with get_sandbox(box, {'filetracker_url': filetracker_server}) as sandbox:
        assert os.path.isfile(os.path.join(sandbox.path, 'data.txt'))


def test_new_version_is_picked_up_and_old_one_removed(configured, tmp_path, box):
    store(configured, box, simple_box(tmp_path, box, 'v1'))
    old = get_sandbox(box)
    store(configured, box, simple_box(tmp_path, box, 'v2'))
    new = get_sandbox(box)
    assert new.path != old.path and new.version > old.version
    assert open(os.path.join(new.path, 'data.txt')).read() == 'v2'
    assert not os.path.exists(old.path)


def test_version_in_use_is_kept_until_released(configured, tmp_path, box):
    store(configured, box, simple_box(tmp_path, box, 'v1'))
    with get_sandbox(box) as old:
        store(configured, box, simple_box(tmp_path, box, 'v2'))
        new = get_sandbox(box)
        assert open(os.path.join(old.path, 'data.txt')).read() == 'v1'
    store(configured, box, simple_box(tmp_path, box, 'v3'))
    newest = get_sandbox(box)
    assert not os.path.exists(old.path) and not os.path.exists(new.path)
    assert open(os.path.join(newest.path, 'data.txt')).read() == 'v3'


def test_six_processes_unpack_once(configured, tmp_path, box):
    members = [(box, 'dir', None, 0o755)] + [
        ('%s/f%03d' % (box, i), 'file', os.urandom(2000), 0o644) for i in range(300)]
    store(configured, box, make_archive(tmp_path / 'many.tar.gz', members))
    processes = [subprocess.Popen([tool('sio-get-sandbox'), box], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(6)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, outputs
    paths = {out.strip() for out, _ in outputs}
    assert len(paths) == 1
    assert len(os.listdir(paths.pop())) == 300
    assert configured.requests_for('/sandboxes/%s.tar.gz' % box) == 1


def test_crash_mid_unpack_is_recovered(configured, tmp_path, box, private_cache):
    members = [(box, 'dir', None, 0o755), (box + '/zeros', 'file', bytes(200 << 20), 0o644)]
    members += [('%s/f%04d' % (box, i), 'file', 'x', 0o644) for i in range(2000)]
    store(configured, box, make_archive(tmp_path / 'big.tar.gz', members))
    base = private_cache / 'sandboxes'
    victim = subprocess.Popen([tool('sio-get-sandbox'), box], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (base.is_dir() and any(
                e.startswith('.part-') and not e.endswith('.tar.gz') for e in os.listdir(
                    str(base)))):
            assert victim.poll() is None, 'finished before it could be stopped'
            assert time.monotonic() < deadline
            time.sleep(0.001)
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.wait()
    assert not any(e.startswith(box + '@') for e in os.listdir(str(base)))
    sandbox = get_sandbox(box)
    assert len(os.listdir(sandbox.path)) == 2001
    assert os.path.getsize(os.path.join(sandbox.path, 'zeros')) == 200 << 20
    assert not any(e.startswith('.part-') for e in os.listdir(str(base)))


HOSTILE = {
    'absolute path': [('/etc/evil', 'file', 'x', 0o644)],
    'dot-dot': [('B', 'dir', None, 0o755), ('B/../../outside-file', 'file', 'x', 0o644)],
    'link pointing out': [('B', 'dir', None, 0o755), ('B/up', 'symlink', '../../..', 0o777)],
    'write through a link': [('B', 'dir', None, 0o755), ('B/etc', 'symlink', '/etc', 0o777),
                             ('B/etc/evil', 'file', 'x', 0o644)],
    'hard link out': [('B', 'dir', None, 0o755), ('B/h', 'hardlink', '../outside', 0o644)],
    'other top folder': [('other', 'dir', None, 0o755), ('other/f', 'file', 'x', 0o644)],
    'device node': [('B', 'dir', None, 0o755), ('B/null', 'chardev', None, 0o666)],
}


@pytest.mark.parametrize('kind', sorted(HOSTILE))
def test_hostile_archive_is_refused_with_nothing_written(configured, tmp_path, box, kind,
                                                         private_cache):
    members = [(n.replace('B', box, 1) if n.startswith('B') else n, k, p, m)
               for n, k, p, m in HOSTILE[kind]]
    store(configured, box, make_archive(tmp_path / 'hostile.tar.gz', members))
    with pytest.raises(Failure) as error:
        get_sandbox(box)
    assert 'refusing' in str(error.value) or 'does not hold' in str(error.value)
    base = private_cache / 'sandboxes'
    assert [e for e in os.listdir(str(base)) if not e.endswith('.lock')] == []
    assert not (private_cache / 'outside-file').exists()
    assert not os.path.exists('/etc/evil')


def test_broken_archive_is_a_clear_failure(configured, tmp_path, box):
    (tmp_path / 'junk.tar.gz').write_bytes(b'not an archive at all')
    store(configured, box, str(tmp_path / 'junk.tar.gz'))
    with pytest.raises(Failure, match='not a readable .tar.gz'):
        get_sandbox(box)


def test_missing_sandbox_is_named(configured):
    with pytest.raises(Failure, match='/sandboxes/nope-404.tar.gz'):
        get_sandbox('nope-404')


@pytest.mark.parametrize('name', ['../x', 'a/b', '', '.hidden'])
def test_bad_names_are_refused(name):
    with pytest.raises(Failure, match='no sandbox name'):
        get_sandbox(name)


def test_cli_prints_the_path(configured, tmp_path, box):
    store(configured, box, simple_box(tmp_path, box))
    out = subprocess.run([tool('sio-get-sandbox'), box], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == get_sandbox(box).path


@pytest.mark.parametrize('args,status', [([], 2), (['a', 'b'], 2), (['missing-one'], 1)])
def test_cli_errors_are_one_line(configured, args, status):
    out = subprocess.run([tool('sio-get-sandbox')] + args, capture_output=True, text=True)
    assert out.returncode == status
    assert out.stdout == ''
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert out.stderr.startswith('sio-get-sandbox: error:')


def test_cli_without_filetracker_says_so():
    out = subprocess.run([tool('sio-get-sandbox'), 'x'], capture_output=True, text=True)
    assert out.returncode == 1
    assert 'FILETRACKER_URL' in out.stderr and 'Traceback' not in out.stderr


def test_sandbox_serves_as_the_root_file_system_of_an_isolated_run(configured, tmp_path,
                                                                    box):
    from sio.workers.process import Isolation, run_program

    source = tmp_path / 'hello.c'
    source.write_text('#include <stdio.h>\n#include <unistd.h>\n'
                      'int main(void) { printf("%d\\n", access("/marker", F_OK) == 0);'
                      ' return 0; }\n')
    subprocess.run(['gcc', '-static', '-O1', '-o', str(tmp_path / 'hello'), str(source)],
                   check=True)
    members = [(box, 'dir', None, 0o755), (box + '/bin', 'dir', None, 0o755),
               (box + '/bin/hello', 'file', (tmp_path / 'hello').read_bytes(), 0o755),
               (box + '/marker', 'file', 'only in the sandbox', 0o644)]
    store(configured, box, make_archive(tmp_path / 'root.tar.gz', members))
    work = tmp_path / 'run'
    work.mkdir()
    with get_sandbox(box) as sandbox:
        result = run_program(['/bin/hello'], cwd=str(work), stdout=str(work / 'out'),
                             isolation=Isolation(root=sandbox.path))
    assert result.ok, vars(result) if hasattr(result, '__dict__') else result
    # /marker exists only inside the sandbox: the program saw it as its root.
    assert (work / 'out').read_text() == '1\n'
