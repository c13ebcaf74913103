"""What sio-batch reads: bounded, with clear errors."""

import os
import subprocess

from tests.support import tool


def _batch(*args, env=None, stdin=subprocess.DEVNULL):
    full_env = dict(os.environ)
    full_env.pop('environ', None)
    full_env.update(env or {})
    return subprocess.run([tool('sio-batch')] + list(args), capture_output=True, text=True,
                          timeout=60, env=full_env, stdin=stdin)


def test_an_endless_line_is_refused_not_read(tmp_path):
    completed = _batch('-j', '1', '-i', '/dev/zero')
    assert completed.returncode == 2
    assert 'longer than' in completed.stderr and 'Traceback' not in completed.stderr


def test_deep_nesting_is_a_clear_error(tmp_path):
    deep = '{"job_type": "ping", "x": %s%s}' % ('[' * 40000, ']' * 40000)
    lines = tmp_path / 'deep.jsonl'
    lines.write_text(deep + '\n')
    completed = _batch('-j', '1', '-i', str(lines))
    assert completed.returncode == 0
    assert 'deeper than 100 levels' in completed.stdout
    single = _batch(env={'environ': deep})
    assert single.returncode == 2 and 'deeper than 100 levels' in single.stderr
    assert 'Traceback' not in single.stderr + completed.stderr


def test_more_workers_than_the_machine_can_run_is_a_clear_error():
    completed = _batch('-j', '100000', '-i', '/dev/null')
    assert completed.returncode == 2
    assert 'can run at most' in completed.stderr and 'Traceback' not in completed.stderr
