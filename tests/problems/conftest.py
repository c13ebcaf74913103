"""Fixtures of the problem-preparation and interactive tests."""

import hashlib
import subprocess

import pytest


@pytest.fixture(scope='session')
def gcc(tmp_path_factory):
    """Compiles C source text with gcc (once per text); the program's path."""
    out_dir = tmp_path_factory.mktemp('c-programs')
    compiled = {}

    def compile_c(source):
        key = hashlib.sha1(source.encode()).hexdigest()[:16]
        if key not in compiled:
            path = out_dir / key
            (out_dir / (key + '.c')).write_text(source)
            subprocess.run(['gcc', '-O2', '-o', str(path), str(path) + '.c'], check=True)
            compiled[key] = str(path)
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
