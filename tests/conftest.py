"""Fixtures shared by the whole test suite.

Servers the tests need are started by fixtures on free loopback ports and
stopped by them; nothing here reaches beyond 127.0.0.1.
"""

import json
import os
import subprocess

import pytest

from support import tool


class BatchResult:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr

    @property
    def environ(self):
        lines = self.stdout.splitlines()
        assert lines[0] == '--- BEGIN ENVIRON ---', self.stdout
        assert lines[2] == '--- END ENVIRON ---', self.stdout
        assert len(lines) == 3, self.stdout
        return json.loads(lines[1])


@pytest.fixture
def sio_batch(tmp_path):
    """Runs the installed sio-batch with an environ; returns a BatchResult."""

    def call(environ=None, *args, raw=None, env=None, timeout=60, cwd=None):
        full_env = dict(os.environ)
        full_env.pop('environ', None)
        if raw is not None:
            full_env['environ'] = raw
        elif environ is not None:
            full_env['environ'] = json.dumps(environ)
        full_env.update(env or {})
        completed = subprocess.run(
            [tool('sio-batch')] + list(args), env=full_env, capture_output=True,
            text=True, timeout=timeout, cwd=cwd or str(tmp_path), stdin=subprocess.DEVNULL,
        )
        return BatchResult(completed)

    return call
