"""Fixtures of the storage tests: a private cache and a clean configuration."""

import os

import pytest

from sio.workers import ft


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test gets its own cache and sandbox directories and no
    filetracker configured unless it configures one."""
    cache = tmp_path / 'cache'
    monkeypatch.setenv('SIO_CACHE_DIR', str(cache))
    for variable in ('FILETRACKER_URL', 'FILETRACKER_PUBLIC_URL', 'SIO_FILETRACKER_CACHE',
                     'SIO_SANDBOXES_DIR', 'SIO_FILETRACKER_TIMEOUT'):
        monkeypatch.delenv(variable, raising=False)
    ft.set_instance(None)
    yield cache
    ft.set_instance(None)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A directory to run jobs from: relative local paths resolve against it."""
    path = tmp_path / 'work'
    path.mkdir()
    monkeypatch.chdir(path)
    return path


@pytest.fixture
def unique(request):
    """A filetracker path prefix unique to the test."""
    return '/t/%s-%s' % (request.node.name.replace('[', '_').replace(']', ''),
                         os.urandom(3).hex())
