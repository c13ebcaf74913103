"""Fixtures of the batch-mode and problem-preparation tests."""

import json
import os
import subprocess

import pytest

from tests.support import json_lines, tool


class BatchRun:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    @property
    def results(self):
        return [json.loads(line) for line in self.stdout.splitlines()]


@pytest.fixture
def job_tmpdir(tmp_path):
    """An empty TMPDIR for the jobs, to see what they leave behind."""
    path = tmp_path / 'jobs-tmp'
    path.mkdir()
    return path


@pytest.fixture
def batch_env(job_tmpdir):
    env = dict(os.environ, TMPDIR=str(job_tmpdir))
    for name in ('environ', 'prefilters', 'postfilters'):
        env.pop(name, None)
    return env


@pytest.fixture
def sio_batch_lines(tmp_path, batch_env):
    """Runs ``sio-batch ARGS`` with JSON lines on standard input."""

    def call(environs, *args, env=None, timeout=120):
        completed = subprocess.run(
            [tool('sio-batch')] + list(args), input=json_lines(environs),
            env=dict(batch_env, **(env or {})), capture_output=True, text=True,
            timeout=timeout, cwd=str(tmp_path),
        )
        return BatchRun(completed)

    return call
