"""Every command-line tool: --help, --version, a usage error, -v/-q."""

import os
import subprocess

import pytest

from tests.support import BIN_DIR, TEST_PLUGINS, tool

TOOLS = ['sio-batch', 'sio-judge', 'sio-compile', 'sio-get-sandbox',
         'sio-run-filetracker', 'sio-celery-worker', 'sio-worker']
#: Positional arguments that let a tool get as far as its options.
POSITIONAL = {'sio-judge': ['abc'], 'sio-compile': ['a.c', 'a'], 'sio-get-sandbox': ['x'],
              'sio-worker': ['127.0.0.1']}


def call(name, *args, env=None):
    return subprocess.run([tool(name)] + list(args), capture_output=True, text=True,
                          timeout=60, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize('name', TOOLS)
def test_help_says_how_to_call_it(name):
    out = call(name, '--help')
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith('usage: %s ' % name)


@pytest.mark.parametrize('name', TOOLS)
def test_version_names_the_tool_and_the_release(name):
    from sio.workers.cli import version

    out = call(name, '--version')
    assert out.returncode == 0, out.stderr
    assert out.stdout == '%s (sioworkers) %s\n' % (name, version())


@pytest.mark.parametrize('name', TOOLS)
def test_an_unknown_option_is_a_one_line_usage_error(name):
    out = call(name, *POSITIONAL.get(name, []), '--no-such-option')
    assert out.returncode == 2
    assert out.stderr.startswith('%s: error: ' % name), out.stderr
    assert 'no-such-option' in out.stderr
    assert len(out.stderr.splitlines()) == 1, out.stderr


@pytest.mark.parametrize('name', [t for t in TOOLS if t != 'sio-celery-worker'])
def test_verbose_and_quiet_are_options_of_every_tool(name):
    out = call(name, *POSITIONAL.get(name, []), '-v', '-q', '--no-such-option')
    assert out.returncode == 2 and 'no-such-option' in out.stderr
    assert '-v, --verbose' in call(name, '--help').stdout


def test_options_take_their_value_after_an_equals_sign(tmp_path):
    out = call('sio-batch', '--jobs=1', '--input=%s' % (tmp_path / 'none.jsonl'))
    assert out.returncode == 2 and 'none.jsonl' in out.stderr


def test_verbose_shows_what_sio_judge_does_and_quiet_hides_warnings(tmp_path):
    from tests.judge.packages import make_package

    root = make_package(tmp_path / 'abc')
    out = call('sio-judge', '-v', '--tests=abc0', root)
    assert out.returncode == 0, out.stderr
    assert 'sio-judge: compiling abc.c' in out.stderr.splitlines()
    assert 'sio-judge: running 1 solutions on 1 tests' in out.stderr.splitlines()
    quiet = call('sio-judge', '-q', '--tests=abc0', root)
    assert quiet.returncode == 0 and quiet.stderr == ''


def test_every_console_script_is_tested_here():
    installed = {name for name in os.listdir(BIN_DIR) if name.startswith('sio-')}
    assert installed <= set(TOOLS), installed - set(TOOLS)


def test_the_test_plugin_package_is_not_installed_for_users():
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p and p != TEST_PLUGINS)
    listed = call('sio-batch', '--list', env=env).stdout
    assert 'ping' in listed and 'test-echo' not in listed
    assert 'test-echo' in call('sio-batch', '--list').stdout
