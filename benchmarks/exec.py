"""Per-test cost of judging one test: a tiny C program run on one input and
its output checked, by ``unsafe-exec``, by ``exec`` (isolated), and by a
bare ``subprocess.run`` of the same binary (output not checked).

Runs alternate so that machine noise hits all three alike; medians.
Targets: unsafe-exec at most 1.5x the bare run, exec (isolated: a slot
user in bubblewrap) at most 5x.  The times per test are printed too.

Usage: python benchmarks/exec.py [RUNS]   (default 300, at least 31)
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import median_ms, report, report_figure, timed  # noqa: E402

from sio.workers import run  # noqa: E402

SOURCE = (b'#include <stdio.h>\nint main(void) { long a, b; '
          b'if (scanf("%ld %ld", &a, &b) != 2) return 1; printf("%ld\\n", a + b); }\n')


def main():
    runs = max(31, int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        with open('add.c', 'wb') as f:
            f.write(SOURCE)
        subprocess.run(['gcc', '-O2', '-o', 'add', 'add.c'], check=True)
        with open('in', 'w') as f:
            f.write('1 2\n')
        with open('hint', 'w') as f:
            f.write('3\n')

        def bare():
            with open('in', 'rb') as stdin, open('bare_out', 'wb') as stdout:
                subprocess.run(['./add'], stdin=stdin, stdout=stdout)

        def judge(job_type):
            result = run({'job_type': job_type, 'exe_file': 'add', 'in_file': 'in',
                          'check_output': True, 'hint_file': 'hint'})
            assert result.get('result_code') == 'OK', result

        samples = {'bare': [], 'unsafe-exec': [], 'exec': []}
        for _ in range(runs):
            samples['bare'].append(timed(bare))
            samples['unsafe-exec'].append(timed(judge, 'unsafe-exec'))
            samples['exec'].append(timed(judge, 'exec'))
        os.chdir('/')
    bare_ms = median_ms(samples['bare'])
    unsafe_ms = median_ms(samples['unsafe-exec'])
    exec_ms = median_ms(samples['exec'])
    report('bare subprocess.run per test', bare_ms, 'ms', '(reference)', True)
    report_figure('unsafe-exec per test', unsafe_ms, 'ms')
    report('unsafe-exec / bare subprocess', unsafe_ms / bare_ms, 'x', '<= 1.5x',
           unsafe_ms / bare_ms <= 1.5)
    report_figure('exec (isolated) per test', exec_ms, 'ms')
    report('exec (isolated) / bare subprocess', exec_ms / bare_ms, 'x', '<= 5x',
           exec_ms / bare_ms <= 5.0)


if __name__ == '__main__':
    main()
