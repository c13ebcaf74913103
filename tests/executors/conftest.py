"""Fixtures of the executor tests: C programs compiled once, and files."""

import hashlib
import os
import subprocess

import pytest

from tests.support import build_c_programs

PROGRAMS_DIR = os.path.join(os.path.dirname(__file__), 'programs')


def _compile(source, target):
    subprocess.run(['gcc', '-O2', '-o', target, source], check=True)
    return target


@pytest.fixture(scope='session')
def programs(tmp_path_factory):
    """name -> path of the compiled program programs/<name>.c."""
    return build_c_programs(PROGRAMS_DIR, tmp_path_factory.mktemp('programs'))


@pytest.fixture(scope='session')
def gcc(tmp_path_factory):
    """Compiles C source text with gcc (once per text); the program's path."""
    out_dir = tmp_path_factory.mktemp('c-programs')
    compiled = {}

    def compile_c(source):
        key = hashlib.sha1(source.encode()).hexdigest()[:16]
        if key not in compiled:
            (out_dir / (key + '.c')).write_text(source)
            compiled[key] = _compile(str(out_dir / (key + '.c')), str(out_dir / key))
        return compiled[key]

    return compile_c


@pytest.fixture
def write(tmp_path):
    """Writes a text file into the test's directory; its path."""

    def write_file(name, text):
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write_file


@pytest.fixture
def files(write):
    """Writes text files (name=text) into the test's directory; their paths."""

    def write_all(**contents):
        return {name: write(name, text) for name, text in contents.items()}

    return write_all
