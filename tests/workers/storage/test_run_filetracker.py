"""sio-run-filetracker: a local filetracker server when none answers."""

import os
import re
import signal
import subprocess
import time

import pytest

from sio.workers.ftserver import answers
from tests.support import free_port, stop_process, tool


def run_tool(args, env, timeout=120):
    return subprocess.run([tool('sio-run-filetracker')] + args, capture_output=True,
                          text=True, env=env, timeout=timeout)


def env_for(url):
    env = dict(os.environ)
    env['FILETRACKER_PUBLIC_URL'] = url
    return env


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'condition not reached in %s s' % seconds
        time.sleep(0.1)


def test_starts_nothing_when_a_server_answers(filetracker_server):
    out = run_tool([], env_for(filetracker_server))
    assert out.returncode == 0, out.stderr
    assert 'already answers at %s' % filetracker_server in out.stdout


def test_foreground_server_says_where_and_stops_on_sigterm(tmp_path):
    url = 'http://127.0.0.1:%d' % free_port()
    store = tmp_path / 'store'
    process = subprocess.Popen([tool('sio-run-filetracker'), '--dir', str(store)],
                               env=env_for(url), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        wait_until(lambda: answers(url))
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    finally:
        stop_process(process)
    assert url in output and str(store) in output
    assert not answers(url)
    assert (store / 'db').is_dir()


def test_background_server_answers_after_return(tmp_path):
    url = 'http://127.0.0.1:%d' % free_port()
    store = tmp_path / 'store'
    out = run_tool(['--background', '--dir', str(store), '--workers', '1'], env_for(url))
    assert out.returncode == 0, out.stderr
    pid = int(re.search(r'\(pid (\d+)\)', out.stdout).group(1))
    try:
        assert answers(url)
        assert str(store) in out.stdout and url in out.stdout
    finally:
        os.killpg(pid, signal.SIGINT)  # gunicorn's quick shutdown
        wait_until(lambda: not answers(url))
    assert (store / 'server.log').is_file()


def test_host_and_port_on_the_command_line_choose_where_it_listens(tmp_path):
    port = free_port()
    url = 'http://127.0.0.1:%d' % port
    out = run_tool(['--background', '--host=127.0.0.1', '--port=%d' % port,
                    '--dir=%s' % (tmp_path / 'store'), '--workers=1'],
                   env_for('http://127.0.0.1:%d' % free_port()))
    assert out.returncode == 0, out.stderr
    pid = int(re.search(r'\(pid (\d+)\)', out.stdout).group(1))
    try:
        assert answers(url) and url in out.stdout
    finally:
        os.killpg(pid, signal.SIGINT)
        wait_until(lambda: not answers(url))


@pytest.mark.parametrize('args,env_url,message,status', [
    (['--port', 'x'], None, '--port', 2),
    (['--workers', 'many'], None, '--workers', 2),
    (['--bogus'], None, "--bogus", 2),
    ([], 'ftp://127.0.0.1:1', 'no http://HOST:PORT URL', 1),
])
def test_bad_input_is_one_line(args, env_url, message, status):
    url = env_url or 'http://127.0.0.1:%d' % free_port()
    out = run_tool(args, env_for(url))
    assert out.returncode == status
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    if url.startswith('http'):
        assert not answers(url)  # nothing was started
