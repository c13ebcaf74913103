"""sio-batch: CONTRACT section 2, through the installed command."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from tests.support import tool


def test_ping_prints_the_environ_between_the_markers(sio_batch):
    out = sio_batch({'job_type': 'ping', 'ping': 'hello'})
    assert out.returncode == 0
    lines = out.stdout.split('\n')
    assert lines[0] == '--- BEGIN ENVIRON ---'
    assert lines[2] == '--- END ENVIRON ---'
    assert lines[3:] == ['']
    environ = json.loads(lines[1])
    assert environ['pong'] == 'hello' and environ['result'] == 'SUCCESS'
    assert environ['worker']


def test_argument_overrides_the_job_type(sio_batch):
    out = sio_batch({'job_type': 'no-such-job', 'ping': 7}, 'ping')
    assert out.environ['job_type'] == 'ping' and out.environ['pong'] == 7


def test_job_type_may_come_from_the_argument_alone(sio_batch):
    assert sio_batch({'ping': 1}, 'ping').environ['result'] == 'SUCCESS'


def test_environ_quoted_twice_is_decoded_once_more(sio_batch):
    raw = json.dumps(json.dumps({'job_type': 'ping', 'ping': 'q'}))
    out = sio_batch(raw=raw)
    assert out.returncode == 0 and out.environ['pong'] == 'q'


def test_filter_variables_are_appended_to_the_environs_lists(sio_batch):
    out = sio_batch(
        {'job_type': 'test-echo', 'prefilters': ['test-mark-a'], 'postfilters': ['test-mark-a']},
        env={'prefilters': 'test-mark-b test-mark-c', 'postfilters': ' test-mark-c '},
    )
    environ = out.environ
    assert environ['result'] == 'SUCCESS'
    assert environ['prefilters'] == ['test-mark-a', 'test-mark-b', 'test-mark-c']
    assert environ['trace'] == ['a', 'b', 'c', 'job', 'a', 'c']


def test_filter_variables_alone(sio_batch):
    out = sio_batch({'job_type': 'test-echo'}, env={'postfilters': 'test-mark-b'})
    assert out.environ['trace'] == ['job', 'b']


def test_failed_job_still_exits_zero(sio_batch):
    out = sio_batch({'job_type': 'test-fail', 'message': 'bad'})
    assert out.returncode == 0
    assert out.environ['result'] == 'FAILURE' and out.environ['exception'] == 'bad'


def test_unknown_job_is_a_failure_environ(sio_batch):
    out = sio_batch({'job_type': 'nonexistent'})
    assert out.returncode == 0
    assert "'nonexistent'" in out.environ['exception']


def test_output_of_the_job_never_reaches_standard_output(sio_batch):
    out = sio_batch({'job_type': 'test-print'})
    assert out.environ['result'] == 'SUCCESS'
    assert 'noise from the job' in out.stderr
    assert 'noise from a child process' in out.stderr


def test_unencodable_result_is_a_failure_and_still_valid_json(sio_batch):
    out = sio_batch({'job_type': 'test-unencodable'})
    assert out.returncode == 0
    assert out.environ['result'] == 'FAILURE'
    assert 'JSON' in out.environ['exception']


BAD_INPUTS = [
    ('no environ', None, (), "'environ' is not set"),
    ('malformed JSON', '{"job_type": ', (), 'not valid JSON'),
    ('empty', '', (), 'not valid JSON'),
    ('array', '[1, 2]', (), 'JSON object'),
    ('number', '42', (), 'JSON object'),
    ('null', 'null', (), 'JSON object'),
    ('string of non-object', json.dumps('[1]'), (), 'JSON object'),
    ('too many arguments', '{"job_type": "ping", "ping": 1}', ('ping', 'extra'),
     'too many arguments'),
    ('unknown option', '{"job_type": "ping", "ping": 1}', ('--frobnicate',), '--frobnicate'),
    ('filters not a list', '{"job_type": "ping", "ping": 1, "prefilters": 3}', (),
     'prefilters'),
]


@pytest.mark.parametrize('raw, args, expected',
                         [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_unusable_input_is_one_line_on_stderr_and_nonzero_status(sio_batch, raw, args, expected):
    env = {'prefilters': 'test-mark-a'} if 'prefilters' in (raw or '') else None
    out = sio_batch(None, *args, raw=raw, env=env)
    assert out.returncode != 0
    assert out.stdout == ''
    assert 'Traceback' not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert expected in out.stderr


def test_help(sio_batch):
    out = sio_batch(None, '--help')
    assert out.returncode == 0
    assert 'usage: sio-batch' in out.stdout and 'environ' in out.stdout


def test_list_shows_every_job_and_filter_with_its_summary(sio_batch):
    out = sio_batch(None, '--list')
    assert out.returncode == 0
    lines = out.stdout.splitlines()

    def line_of(name):
        return next(line for line in lines if line.split()[:1] == [name])

    assert 'Copies' in line_of('ping')
    assert 'Records the job' in line_of('test-echo')
    assert 'Appends' in line_of('test-mark-a')
    assert 'cannot be loaded' in line_of('test-broken')
    assert 'missing_module' in line_of('test-broken')
    assert any(line.startswith('jobs (sio.jobs)') for line in lines)
    assert any(line.startswith('filters (sio.workers.filters)') for line in lines)


@pytest.fixture
def shared_tmpdir():
    """A TMPDIR every user may write to (pytest's own tmp_path is private)."""
    path = tempfile.mkdtemp(prefix='sio-test-shared-')
    os.chmod(path, 0o1777)
    yield path
    subprocess.run(['rm', '-rf', path], check=True)


def test_read_only_leftovers_removed_for_an_unprivileged_user(sio_batch, shared_tmpdir):
    # Root ignores permissions, so run the job as 'nobody' for this one.
    env = dict(os.environ, environ=json.dumps({'job_type': 'test-readonly'}),
               TMPDIR=shared_tmpdir, HOME=shared_tmpdir)
    completed = subprocess.run(
        ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', tool('sio-batch')],
        env=env, capture_output=True, text=True, cwd='/', timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert '"result": "SUCCESS"' in completed.stdout
    assert [n for n in os.listdir(shared_tmpdir) if n.startswith('sio-job-')] == []


@pytest.mark.parametrize('signum, status', [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_stops_the_job_and_removes_its_temp_dir(tmp_path, signum, status):
    env = dict(os.environ, environ=json.dumps({'job_type': 'test-sleep', 'seconds': 60}),
               TMPDIR=str(tmp_path))
    process = subprocess.Popen([tool('sio-batch')], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not os.listdir(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert os.listdir(tmp_path), 'the job never started'
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == status
    assert stdout == ''
    assert 'Traceback' not in stderr and len(stderr.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == []


def test_job_timeout_through_sio_batch(sio_batch, tmp_path):
    out = sio_batch({'job_type': 'test-sleep', 'seconds': 60, 'job_timeout': 300},
                    env={'TMPDIR': str(tmp_path)})
    assert out.returncode == 0
    assert out.environ['result'] == 'FAILURE' and 'job_timeout' in out.environ['exception']
    assert os.listdir(tmp_path) == []


def test_runs_with_python_dash_m_equivalent(tmp_path):
    # The library entry point, as used by scripts: the same behaviour.
    env = dict(os.environ, environ='{"job_type": "ping", "ping": 2}')
    completed = subprocess.run(
        [sys.executable, '-c', 'import sys; from sio.workers.cli.batch import main; sys.exit(main())'],
        env=env, capture_output=True, text=True, cwd=str(tmp_path), timeout=60)
    assert completed.returncode == 0
    assert '"pong": 2' in completed.stdout
