"""The sample problem, judged as ``make demo`` judges it."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_sample_solutions_get_the_expected_verdicts(tmp_path):
    out = subprocess.run([sys.executable, os.path.join(ROOT, 'examples', 'judge_sample.py')],
                         capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[2].split() == ['solution', 'test', 'result', 'time', 'memory']
    rows = [line.split() for line in lines[3:] if line.strip()]
    table = {(row[0], row[1]): row[2] for row in rows if len(row) >= 7}
    assert len(table) == 4 * 4
    assert table[('sums_int.c', '3')] == 'WA'
    assert table[('sums_naive.py', '4')] == 'TLE'
    assert all(table[('sums.c', test)] == 'OK' for test in '1234')
    assert all(table[('sums.py', test)] == 'OK' for test in '1234')
    verdicts = {row[0]: row[1:] for row in rows if len(row) in (3, 4)}
    assert verdicts == {'sums.c': ['OK', 'as', 'expected'], 'sums.py': ['OK', 'as', 'expected'],
                        'sums_int.c': ['WA', 'as', 'expected'],
                        'sums_naive.py': ['TLE', 'as', 'expected']}
    assert os.listdir(str(tmp_path)) == []
