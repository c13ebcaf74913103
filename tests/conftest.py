"""Fixtures shared by the whole test suite.

Servers the tests need are started by fixtures on free loopback ports and
stopped by them; nothing here reaches beyond 127.0.0.1.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.support import TEST_PLUGINS, free_port, tool

# The tests, and every program they start, find the test plugin package on
# their path.
if TEST_PLUGINS not in sys.path:
    sys.path.insert(0, TEST_PLUGINS)
    os.environ['PYTHONPATH'] = os.pathsep.join(
        [TEST_PLUGINS] + [p for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p])


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


class FiletrackerURL(str):
    """The URL of a filetracker server started for the tests.

    ``log`` is the server's access log (one line per request), ``store`` the
    directory where it keeps the files.
    """

    log = None
    store = None

    def requests_for(self, path, method='GET'):
        """How many requests for ``/files<path>`` the server answered.

        ``GET``: downloads (answers with a body); ``HEAD``: version questions
        (the server logs them as GET with an empty body); ``PUT``: uploads.
        """
        import re

        from tests.support import sync_log

        sync_log(self, self.log)
        pattern = re.compile(r'"%s /files%s[ ?][^"]*" 200 (\d+)' % (
            'PUT' if method == 'PUT' else 'GET', re.escape(path)))
        count = 0
        with open(self.log, encoding='utf-8', errors='replace') as f:
            for line in f:
                match = pattern.search(line)
                if match and (method == 'PUT' or (match.group(1) == '0') == (method == 'HEAD')):
                    count += 1
        return count


@pytest.fixture(scope='session')
def filetracker_server(tmp_path_factory):
    """A real filetracker server on a free loopback port; yields its URL."""
    from tests.support import start_filetracker_server, stop_filetracker_server

    base = tmp_path_factory.mktemp('filetracker-server')
    url = FiletrackerURL('http://127.0.0.1:%d' % free_port())
    url.store, url.log = str(base / 'store'), str(base / 'server.log')
    process = start_filetracker_server(url, url.store, url.log, workers=1)
    try:
        yield url
    finally:
        stop_filetracker_server(process)
