"""The compile job's overhead over running the same compiler directly.

Compiles a small C program, and the C solutions of the sample problem
(examples/range-sums), with ``run({'job_type': 'compile', ...})`` -- which
runs the compiler isolated, as a slot user in bubblewrap -- and with the
very command the job runs (gcc, same flags, no sandbox, no limits),
alternating so that machine noise hits both alike.
Target: the job takes at most 1.10x the compiler's own time (an aim: the
isolated compile measured about 1.2x before).

Usage: python benchmarks/compile.py [RUNS]   (default 21, at least 5)
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import median_ms, report, timed  # noqa: E402

TARGET_RATIO = 1.10
SOURCE = r'''
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    return *(const int *)a - *(const int *)b;
}

int main(void) {
    int n, values[1000];
    if (scanf("%d", &n) != 1 || n > 1000) return 1;
    for (int i = 0; i < n; i++) scanf("%d", &values[i]);
    qsort(values, n, sizeof values[0], compare);
    for (int i = 0; i < n; i++) printf("%d\n", values[i]);
    return 0;
}
'''


SAMPLE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          'examples', 'range-sums', 'prog')


def main():
    runs = max(5, int(sys.argv[1]) if len(sys.argv) > 1 else 21)
    work = tempfile.mkdtemp(prefix='sio-bench-compile-')
    try:
        small = os.path.join(work, 'sort.c')
        with open(small, 'w') as f:
            f.write(SOURCE)
        cases = [('small C file', small)] + [
            ('sample problem %s' % name, os.path.join(SAMPLE_DIR, name))
            for name in sorted(os.listdir(SAMPLE_DIR)) if name.endswith('.c')]
        for title, source in cases:
            _measure(title, source, work, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _measure(title, source, work, runs):
    from sio.compilers.system import SystemGcc
    from sio.workers import run

    environ = {'job_type': 'compile', 'use_filetracker': False,
               'source_file': source, 'out_file': os.path.join(work, 'job.bin')}
    gcc = SystemGcc()
    shutil.copyfile(source, os.path.join(work, 'direct.c'))
    direct = gcc.commands(_Build(['direct.c']))[0]
    direct[direct.index(gcc.output)] = 'direct.bin'
    direct[0] = shutil.which(direct[0])

    def by_job():
        result = run(dict(environ))
        assert result.get('result_code') == 'OK', result

    def directly():
        subprocess.run(direct, cwd=work, check=True)

    by_job()
    directly()
    job_times, direct_times = [], []
    for _ in range(runs):
        direct_times.append(timed(directly))
        job_times.append(timed(by_job))
    job_ms, direct_ms = median_ms(job_times), median_ms(direct_times)
    print('%s: gcc directly: median %.1f ms; isolated compile job: median %.1f ms '
          '(%d runs each)' % (title, direct_ms, job_ms, runs))
    ratio = job_ms / direct_ms
    report('compile job / gcc directly (%s)' % title, ratio, 'x',
           '<= %.2fx' % TARGET_RATIO, ratio <= TARGET_RATIO)


class _Build:
    def __init__(self, sources):
        self.sources = sources
        self.extra_args = []


if __name__ == '__main__':
    main()
