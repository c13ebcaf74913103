"""The documentation builds, with warnings as errors (as ``make docs``)."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_docs_build_without_warnings(tmp_path):
    completed = subprocess.run(
        [sys.executable, '-m', 'sphinx', '-W', '--keep-going', '-q', '-b', 'html',
         os.path.join(ROOT, 'docs'), str(tmp_path / 'html')],
        capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (tmp_path / 'html' / 'index.html').exists()
