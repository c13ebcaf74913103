"""Plugin discovery: the persistent entry-point index follows installs."""

import glob
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.support import TEST_PLUGINS, tool


def make_plugin_package(root, dist_name, job_name, message):
    """A tiny distribution registering one job, ready for pip to install."""
    module = dist_name.replace('-', '_')
    (root / module).mkdir(parents=True)
    (root / module / '__init__.py').write_text(textwrap.dedent('''
        def job(environ):
            """Says %s."""
            environ['said'] = %r
            return environ
    ''' % (message, message)))
    (root / 'setup.py').write_text(textwrap.dedent('''
        from setuptools import setup
        setup(name=%r, version='1.0', packages=[%r],
              entry_points={'sio.jobs': ['%s = %s:job']})
    ''' % (dist_name, module, job_name, module)))
    return root


def pip_install_into(target, package):
    subprocess.run(
        [sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index',
         '--no-build-isolation', '--disable-pip-version-check', '--target', str(target),
         str(package)],
        check=True, capture_output=True, timeout=300)


@pytest.fixture
def plugin_dir(tmp_path):
    target = tmp_path / 'site'
    target.mkdir()
    return target


def run_batch(environ, site, cache, *args):
    env = dict(os.environ, environ=json.dumps(environ), SIO_CACHE_DIR=str(cache),
               PYTHONPATH=os.pathsep.join([str(site), TEST_PLUGINS]))
    completed = subprocess.run([tool('sio-batch')] + list(args), env=env,
                               capture_output=True, text=True, timeout=60, cwd=str(site))
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def index_of(cache):
    files = glob.glob(os.path.join(str(cache), 'plugins-*.json'))
    assert len(files) == 1, files
    with open(files[0]) as f:
        return files[0], json.load(f)


def test_index_is_built_once_and_reused(plugin_dir, tmp_path):
    cache = tmp_path / 'cache'
    run_batch({'job_type': 'ping', 'ping': 1}, plugin_dir, cache)
    path, index = index_of(cache)
    assert 'ping' in index['groups']['sio.jobs']
    stamp = os.stat(path).st_mtime_ns
    out = run_batch({'job_type': 'ping', 'ping': 1}, plugin_dir, cache)
    assert '"pong": 1' in out
    assert os.stat(path).st_mtime_ns == stamp


def test_installing_a_distribution_rebuilds_the_index(plugin_dir, tmp_path):
    cache = tmp_path / 'cache'
    run_batch({'job_type': 'ping', 'ping': 1}, plugin_dir, cache)
    assert 'hello-job' not in index_of(cache)[1]['groups']['sio.jobs']

    pip_install_into(plugin_dir, make_plugin_package(tmp_path / 'pkg', 'sio-hello', 'hello-job',
                                                     'hello'))
    # Running another job already sees the new distribution in the index.
    run_batch({'job_type': 'ping', 'ping': 1}, plugin_dir, cache)
    assert 'hello-job' in index_of(cache)[1]['groups']['sio.jobs']
    out = run_batch({'job_type': 'hello-job'}, plugin_dir, cache)
    assert '"said": "hello"' in out and '"result": "SUCCESS"' in out
    listing = run_batch({}, plugin_dir, cache, '--list')
    assert 'Says hello.' in listing


def test_removed_distribution_is_an_unknown_job_not_an_import_error(plugin_dir, tmp_path):
    cache = tmp_path / 'cache'
    pip_install_into(plugin_dir, make_plugin_package(tmp_path / 'pkg', 'sio-gone', 'gone-job',
                                                     'bye'))
    assert '"result": "SUCCESS"' in run_batch({'job_type': 'gone-job'}, plugin_dir, cache)
    for entry in os.listdir(plugin_dir):
        shutil.rmtree(plugin_dir / entry)
    out = run_batch({'job_type': 'gone-job'}, plugin_dir, cache)
    assert '"result": "FAILURE"' in out
    assert "unknown job 'gone-job'" in out


def test_unwritable_cache_still_finds_plugins(plugin_dir, tmp_path):
    cache = tmp_path / 'not-a-dir'
    cache.write_text('a file where the cache directory should be')
    out = run_batch({'job_type': 'test-echo'}, plugin_dir, cache)
    assert '"result": "SUCCESS"' in out


def test_corrupt_index_is_rebuilt(plugin_dir, tmp_path):
    cache = tmp_path / 'cache'
    run_batch({'job_type': 'ping', 'ping': 1}, plugin_dir, cache)
    path, _ = index_of(cache)
    with open(path, 'w') as f:
        f.write('{"version": 1, "signature": [')
    out = run_batch({'job_type': 'ping', 'ping': 3}, plugin_dir, cache)
    assert '"pong": 3' in out
    assert 'ping' in index_of(cache)[1]['groups']['sio.jobs']


def test_unrelated_change_in_a_path_directory_keeps_the_index(plugin_dir, tmp_path):
    cache = tmp_path / 'cache'
    run_batch({'job_type': 'ping', 'ping': 1}, plugin_dir, cache)
    path, index = index_of(cache)
    # A job only the index knows of: found only if the index is kept.
    index['groups']['sio.jobs']['indexed-only'] = ['sio.workers.ping:run', 'sioworkers']
    with open(path, 'w') as f:
        json.dump(index, f)
    (plugin_dir / 'unrelated.txt').write_text('a new file, no distribution')
    out = run_batch({'job_type': 'indexed-only', 'ping': 5}, plugin_dir, cache)
    assert '"pong": 5' in out
