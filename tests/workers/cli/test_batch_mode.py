"""sio-batch -j N: many environs as JSON lines, run in parallel."""

import fcntl
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

from tests.support import json_lines, tool


def _sleep(seconds, tag):
    return {'job_type': 'test-sleep', 'seconds': seconds, 'tag': tag}


def test_results_come_in_input_order_whatever_finishes_first(sio_batch_lines):
    environs = [_sleep(1.5, 0), _sleep(0.8, 1), _sleep(0.3, 2), _sleep(0, 3),
                {'job_type': 'ping', 'ping': 4, 'tag': 4}]
    out = sio_batch_lines(environs, '-j', '4')
    assert out.returncode == 0, out.stderr
    assert [r['tag'] for r in out.results] == [0, 1, 2, 3, 4]
    assert all(r['result'] == 'SUCCESS' for r in out.results), out.stdout
    # Each ran in a temporary directory of its own.
    assert len({r['cwd'] for r in out.results[:4]}) == 4


def test_a_broken_line_gives_a_failure_for_that_line_only(sio_batch_lines):
    lines = [{'job_type': 'ping', 'ping': 1}, '{"job_type": "ping", "ping":',
             '', '[1, 2]', json.dumps(json.dumps({'job_type': 'ping', 'ping': 5})),
             {'job_type': 'ping', 'ping': 6}]
    out = sio_batch_lines(lines, '-j', '2')
    assert out.returncode == 0, out.stderr
    results = out.results
    assert len(results) == 5  # the blank line is skipped
    assert results[0]['pong'] == 1
    assert results[1]['result'] == 'FAILURE'
    assert 'line 2 of standard input is not valid JSON' in results[1]['exception']
    assert results[2]['result'] == 'FAILURE'
    assert 'line 4' in results[2]['exception'] and 'JSON object' in results[2]['exception']
    assert results[3]['pong'] == 5  # quoted twice, decoded once more
    assert results[4]['pong'] == 6


def test_input_file_job_type_argument_and_filter_variables(sio_batch_lines, tmp_path):
    (tmp_path / 'environs.jsonl').write_text(json_lines(
        [{'job_type': 'no-such-job', 'ping': n} for n in range(5)]))
    out = sio_batch_lines([], '-j2', '--input=environs.jsonl', 'ping',
                          env={'postfilters': 'test-mark-a'})
    assert out.returncode == 0, out.stderr
    assert [r['pong'] for r in out.results] == list(range(5))
    assert all(r['trace'] == ['a'] for r in out.results)


@pytest.mark.parametrize('option', [['-j', '0'], ['--jobs', 'auto']])
def test_zero_and_auto_start_one_worker_per_core(sio_batch_lines, option):
    cores = len(os.sched_getaffinity(0))
    environs = [{'job_type': 'ping', 'ping': n} for n in range(cores + 1)]
    out = sio_batch_lines(environs, *option)
    assert out.returncode == 0, out.stderr
    assert len(out.results) == cores + 1
    workers = '%d worker%s' % (cores, '' if cores == 1 else 's')
    assert workers in out.stderr


def test_summary_counts_results_and_result_codes(sio_batch_lines):
    environs = [{'job_type': 'test-echo', 'result_code': code} for code in ('OK', 'WA', 'OK')]
    environs.append({'job_type': 'test-fail'})
    out = sio_batch_lines(environs, '-j', '2')
    summary = out.stderr.strip().splitlines()[-1]
    assert '4 environs' in summary
    assert 'result: FAILURE 1, SUCCESS 3' in summary
    assert 'result_code: OK 2, WA 1' in summary
    assert out.stdout.count('\n') == 4  # the summary stays off standard output


@pytest.mark.parametrize('args, expected', [
    (['-j', 'many'], "-j/--jobs expects a number"),
    (['-j', '-3'], "-j/--jobs expects a number"),
    (['-i', 'no-such-file.jsonl'], "cannot read input file 'no-such-file.jsonl'"),
    (['-j', '2', 'ping', 'extra'], 'unexpected arguments'),
])
def test_bad_command_lines_give_one_line_and_status_2(sio_batch_lines, args, expected):
    out = sio_batch_lines([{'job_type': 'ping'}], *args)
    assert out.returncode == 2
    assert out.stdout == ''
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], out.stderr


def _children(pid):
    found = []
    for task in os.listdir('/proc/%d/task' % pid):
        with open('/proc/%d/task/%s/children' % (pid, task)) as f:
            found += [int(p) for p in f.read().split()]
    return found


def _alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


def _wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'gave up waiting for ' + what
        time.sleep(0.05)


def _steady_dirs(path):
    """How many directories ``path`` holds, once that is steady for a while
    (the quick first job's directory comes and goes)."""
    before = set(os.listdir(path))
    time.sleep(0.3)
    return len(before) if set(os.listdir(path)) == before else -1


def _start_batch(environs, args, env, cwd):
    """sio-batch in a session of its own, so that a test may signal it as a
    terminal would, reading the environs from a pipe."""
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, 'w') as writer:
        try:
            process = subprocess.Popen(
                [tool('sio-batch')] + args, stdin=read_end, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=env, cwd=cwd, text=True,
                start_new_session=True,
            )
        finally:
            os.close(read_end)
        writer.write(json_lines(environs))
    return process


def _batch_interrupted(environs, args, env, cwd, interrupt):
    """Runs sio-batch, calls ``interrupt(process)`` while it runs; (exit
    status, stdout, stderr).  Whatever happens, nothing of it outlives this."""
    process = _start_batch(environs, args, env, cwd)
    try:
        interrupt(process)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, stdout, stderr


@pytest.mark.parametrize('how', ['ctrl-c', 'sigterm'])
def test_interruption_leaves_nothing_behind(batch_env, job_tmpdir, tmp_path, how):
    environs = [{'job_type': 'ping', 'ping': 1}, _sleep(600, 1),
                {'job_type': 'test-spin', 'seconds': 600}, {'job_type': 'ping', 'ping': 4}]
    workers = []

    def interrupt(process):
        _wait_for(lambda: _steady_dirs(job_tmpdir) == 2, 'both long jobs to start')
        workers.extend(_children(process.pid))
        assert len(workers) == 2
        if how == 'ctrl-c':  # the terminal signals the whole process group
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)

    status, stdout, stderr = _batch_interrupted(environs, ['-j', '2'], batch_env,
                                                str(tmp_path), interrupt)
    assert status == (130 if how == 'ctrl-c' else 143)
    assert os.listdir(job_tmpdir) == []
    assert not [pid for pid in workers if _alive(pid)]
    assert 'Traceback' not in stderr
    results = [json.loads(line) for line in stdout.splitlines()]
    assert len(results) == 3  # the last line was never started
    assert results[0]['pong'] == 1
    for result in results[1:]:
        assert result['result'] == 'FAILURE'
        assert 'interrupted' in result['exception']
    assert results[1]['seconds'] == 600  # the environ it was given, kept
    assert 'interrupted' in stderr.strip().splitlines()[-1]


def test_a_worker_that_dies_fails_its_line_and_is_replaced(batch_env, job_tmpdir, tmp_path):
    environs = [_sleep(600, 0), {'job_type': 'ping', 'ping': 1}]

    def kill_the_worker(process):
        _wait_for(lambda: len(os.listdir(job_tmpdir)) == 1, 'the job to start')
        (worker,) = _children(process.pid)
        os.kill(worker, signal.SIGKILL)

    status, stdout, stderr = _batch_interrupted(environs, ['-j', '1'], batch_env,
                                                str(tmp_path), kill_the_worker)
    assert status == 0, stderr
    first, second = [json.loads(line) for line in stdout.splitlines()]
    assert first['result'] == 'FAILURE' and 'killed by signal 9' in first['exception']
    assert first['tag'] == 0
    assert second['pong'] == 1


def test_progress_bar_on_a_terminal(batch_env, tmp_path):
    (tmp_path / 'in.jsonl').write_text(json_lines([{'job_type': 'ping', 'ping': 1}] * 3))
    master, slave = pty.openpty()
    columns = struct.pack('HHHH', 24, 80, 0, 0)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, columns)
    try:
        completed = subprocess.run(
            [tool('sio-batch'), '-j', '2', '-i', 'in.jsonl'], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=slave, env=batch_env, cwd=str(tmp_path),
            timeout=120,
        )
        os.close(slave)
        slave = None
        terminal = b''
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every writer is gone
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        if slave is not None:
            os.close(slave)
        os.close(master)
    assert completed.returncode == 0
    assert b'3/3' in terminal and b'environ' in terminal, terminal
    assert len(completed.stdout.splitlines()) == 3


def _processes_mentioning(text):
    found = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            try:
                with open('/proc/%s/cmdline' % entry, 'rb') as f:
                    if text.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return [pid for pid in found if _alive(pid)]


def test_interruption_kills_the_programs_the_jobs_run(batch_env, job_tmpdir, tmp_path):
    source = tmp_path / 'sleeper.c'
    source.write_text('#include <unistd.h>\nint main(void) { for (;;) pause(); }\n')
    subprocess.run(['gcc', '-o', str(tmp_path / 'sleeper'), str(source)], check=True)
    (tmp_path / 'empty.in').write_text('')
    sleeper = {'job_type': 'exec', 'exe_file': str(tmp_path / 'sleeper'),
               'in_file': str(tmp_path / 'empty.in'), 'exec_time_limit': 60000}

    def interrupt(process):
        _wait_for(lambda: len(_processes_mentioning(str(job_tmpdir))) >= 2,
                  'both programs to start')
        os.killpg(process.pid, signal.SIGINT)

    status, stdout, stderr = _batch_interrupted([sleeper, sleeper], ['-j', '2'], batch_env,
                                                str(tmp_path), interrupt)
    assert status == 130, stderr
    assert _processes_mentioning(str(job_tmpdir)) == []
    assert os.listdir(job_tmpdir) == []
    assert [json.loads(line)['result'] for line in stdout.splitlines()] == ['FAILURE'] * 2


def test_a_worker_stopped_at_any_moment_of_its_start_up_says_nothing(batch_env):
    # sio-batch stops its workers with SIGTERM as soon as it gives up (a
    # line too long, say), maybe while they are still starting.
    from sio.workers.cli.parallel import WORKER_SOURCE

    for step in range(24):
        process = subprocess.Popen([sys.executable, '-c', WORKER_SOURCE], env=batch_env,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        time.sleep(step * 0.015)
        process.send_signal(signal.SIGTERM)
        process.wait(60)  # standard input still open: no end of input to stop at
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode in (130, -signal.SIGTERM), (step, stderr)
        assert stdout == b'' and stderr == b'', (step, stderr)
