"""Attacks on the sandbox, as a contestant would make them.

Every attack is a small C program in ``programs/``, compiled once per
session by gcc.  An attack prints its findings as one line of words
(``name:refused``, ``count=N``...); run as a checker, the line becomes the
checker's comment.  Nothing an attack does would harm the machine if it
succeeded: it aims at canary files the test made, and opens kernel
settings for writing without writing.
"""

import os
import subprocess

import pytest

from sio.workers import run
from tests.support import build_c_programs

from .attacking import Attack

PROGRAMS_DIR = os.path.join(os.path.dirname(__file__), 'programs')


@pytest.fixture(scope='session')
def attacks(tmp_path_factory):
    """name -> path of the compiled program programs/<name>.c."""
    return build_c_programs(PROGRAMS_DIR, tmp_path_factory.mktemp('attacks'),
                            ['-I', PROGRAMS_DIR])


@pytest.fixture
def build_attack(tmp_path):
    """Builds programs/<name>.c with ``-D`` definitions of its own."""

    def build(name, **defines):
        target = str(tmp_path / ('%s-built' % name))
        flags = ['-D%s=%s' % item for item in defines.items()]
        subprocess.run(['gcc', '-O2', '-I', PROGRAMS_DIR] + flags
                       + ['-o', target, os.path.join(PROGRAMS_DIR, name + '.c')], check=True)
        return target

    return build


@pytest.fixture
def canary(tmp_path):
    """A file of the test's that no program may read, change or replace:
    yields its path; checks at the end that it is as it was."""
    path = tmp_path / 'canary'
    secret = 'canary %s\n' % os.urandom(8).hex()
    path.write_text(secret)
    os.chmod(path, 0o600)
    before = os.lstat(path)
    yield str(path)
    after = os.lstat(path)
    assert path.read_text() == secret
    assert (after.st_mode, after.st_uid, after.st_ino) == \
        (before.st_mode, before.st_uid, before.st_ino)


@pytest.fixture
def attack(attacks, tmp_path):
    """Runs an attack program in one of :data:`MODES`; an :class:`Attack`.

    The job must end with a verdict; ``request`` is the program's input
    (for a checker, its input file); ``keys`` go into the environ.
    """

    def call(name, mode, request='', **keys):
        in_file = tmp_path / 'request'
        in_file.write_text(request + '\n')
        out = str(tmp_path / 'attack_out')
        environ = dict(job_type=mode if mode != 'checker' else 'exec', in_file=str(in_file),
                       out_file=out, exe_file=attacks[name])
        if mode == 'checker':
            hint = tmp_path / 'hint'
            hint.write_text('the answer\n')
            environ.update(exe_file=attacks['answer'], chk_file=attacks[name],
                           check_output=True, hint_file=str(hint))
        environ.update(keys)
        result = run(environ)
        assert result['result'] == 'SUCCESS', result.get('exception')
        if mode == 'checker':
            assert result['result_code'] == 'OK', result
            return Attack(result, result['result_string'])
        with open(out) as f:
            return Attack(result, f.read().strip())

    return call
