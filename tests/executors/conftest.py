"""Programs of the executor tests, compiled once by gcc from programs/*.c."""

import glob
import os
import subprocess

import pytest

PROGRAMS_DIR = os.path.join(os.path.dirname(__file__), 'programs')


@pytest.fixture(scope='session')
def programs(tmp_path_factory):
    """name -> path of the compiled program programs/<name>.c."""
    out_dir = tmp_path_factory.mktemp('programs')
    paths = {}
    for source in sorted(glob.glob(os.path.join(PROGRAMS_DIR, '*.c'))):
        name = os.path.splitext(os.path.basename(source))[0]
        target = str(out_dir / name)
        subprocess.run(['gcc', '-O2', '-o', target, source], check=True)
        paths[name] = target
    return paths


@pytest.fixture
def files(tmp_path):
    """Writes text files into the test's directory; returns their paths."""

    def write(**contents):
        paths = {}
        for name, text in contents.items():
            path = tmp_path / name
            path.write_text(text)
            paths[name] = str(path)
        return paths

    return write
