"""Started with SIGINT ignored, as a shell starts a background job (``cmd &``
in a script, ``nohup sh -c ...``): Ctrl-C (SIGINT) still stops the tools
cleanly, and the programs the jobs run do not inherit the ignoring."""

import json
import os
import signal
import subprocess
import sys
import time

from sio.workers.ftserver import answers
from tests.support import free_port, json_lines, stop_process, tool
from tests.workers.cli.test_batch_mode import _alive, _children, _steady_dirs, _wait_for

#: Runs the rest of the command line as a shell script runs a background
#: job: with SIGINT ignored, which exec keeps.
IGNORING_SIGINT = ['sh', '-c', 'trap "" INT; exec "$@"', 'sh']

SHOW_IGNORED = 'import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)'


def test_the_wrapper_really_starts_programs_ignoring_sigint():
    out = subprocess.run(IGNORING_SIGINT + [sys.executable, '-c', SHOW_IGNORED],
                         capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == 'True'
    out = subprocess.run([sys.executable, '-c', SHOW_IGNORED], capture_output=True,
                         text=True, timeout=60, check=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert out.stdout.strip() == 'False'


def test_sio_batch_stops_on_sigint_it_was_started_ignoring(tmp_path):
    env = dict(os.environ, environ=json.dumps({'job_type': 'test-sleep', 'seconds': 60}),
               TMPDIR=str(tmp_path))
    process = subprocess.Popen(IGNORING_SIGINT + [tool('sio-batch')], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: os.listdir(tmp_path), 'the job to start', 20)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        stop_process(process)
    assert process.returncode == 130, stderr
    assert stdout == '' and stderr.strip() == 'sio-batch: interrupted'
    assert os.listdir(tmp_path) == []


def test_sio_batch_workers_stop_on_ctrl_c_when_started_ignoring_it(batch_env, job_tmpdir,
                                                                   tmp_path):
    environs = [{'job_type': 'test-sleep', 'seconds': 600},
                {'job_type': 'test-spin', 'seconds': 600}, {'job_type': 'ping', 'ping': 3}]
    # The wrapper execs sio-batch, so the process started is sio-batch itself,
    # in a session of its own to be signalled as a terminal would.
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, 'w') as writer:
        try:
            process = subprocess.Popen(
                IGNORING_SIGINT + [tool('sio-batch'), '-j', '2'], stdin=read_end,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=batch_env, cwd=str(tmp_path),
                text=True, start_new_session=True)
        finally:
            os.close(read_end)
        writer.write(json_lines(environs))
    try:
        _wait_for(lambda: _steady_dirs(job_tmpdir) == 2, 'both long jobs to start')
        workers = _children(process.pid)
        assert len(workers) == 2
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, stderr
    assert os.listdir(job_tmpdir) == []
    assert not [pid for pid in workers if _alive(pid)]
    assert 'Traceback' not in stderr
    assert [json.loads(line)['result'] for line in stdout.splitlines()] == ['FAILURE'] * 2


def test_sio_run_filetracker_stops_on_sigint_it_was_started_ignoring(tmp_path):
    url = 'http://127.0.0.1:%d' % free_port()
    env = dict(os.environ, FILETRACKER_PUBLIC_URL=url)
    process = subprocess.Popen(
        IGNORING_SIGINT + [tool('sio-run-filetracker'), '--dir', str(tmp_path / 'store'),
                           '--workers', '1'],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    try:
        _wait_for(lambda: answers(url), 'the server to answer')
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        process.wait(60)
        stopped_in = time.monotonic() - started
    finally:
        stop_process(process, group_signal=signal.SIGKILL)
    assert not answers(url)
    assert stopped_in < 20  # gunicorn's quick shutdown, not its 30 s of grace


RAISES_SIGINT = '''\
#include <signal.h>
#include <stdio.h>
int main(void) { raise(SIGINT); puts("still here"); return 0; }
'''

JUDGE = '''\
import json, sys
from sio.workers import run
compiled = run({'job_type': 'compile', 'source_file': 'raise.c', 'out_file': 'raise.e',
                'use_filetracker': False})
ran = run({'job_type': 'exec', 'exe_file': 'raise.e', 'exec_info': compiled['exec_info'],
           'in_file': 'empty.in', 'out_file': 'out.txt', 'use_filetracker': False})
print(json.dumps([ran.get('result_code'), ran.get('result_string')]))
'''


def test_a_judged_program_does_not_inherit_an_ignored_sigint(tmp_path):
    (tmp_path / 'raise.c').write_text(RAISES_SIGINT)
    (tmp_path / 'empty.in').write_text('')
    verdicts = []
    for wrapper in ([], IGNORING_SIGINT):
        out = subprocess.run(wrapper + [sys.executable, '-c', JUDGE], cwd=str(tmp_path),
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        verdicts.append(json.loads(out.stdout.splitlines()[-1]))
    # Killed by its own SIGINT, whoever started the job.
    assert verdicts[0] == verdicts[1]
    assert verdicts[0][0] == 'RE' and 'signal 2' in verdicts[0][1]
