"""Parallel batches: judging CPU-bound tests with ``sio-batch -j 2`` vs ``-j 1``.

A C program, compiled here with gcc, burns a fixed amount of CPU per test
and prints a checksum; each of the TESTS environs is an ``exec`` job with
output checking.  The tests are judged with one worker and with two, in
the same run, in alternating rounds of a quarter of them each, so that
what else the machine does weighs on both alike.  Target: a speed-up of at least 1.7x on a
machine with two cores (the figure depends on what else the machine runs).

A test is CPU-bound when the program's own CPU time dominates what judging
it costs: the default work is about 100 ms of CPU per test (as a typical
contest test), against a fixed few milliseconds of isolation, file copies
and checking.  Lighter tests measure the kernel's namespace and mount
set-up more than the parallelism of ``sio-batch``.

Usage: python benchmarks/batch.py [TESTS [WORK_PER_TEST]]   (default 200 100000000)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import report  # noqa: E402

TARGET_SPEEDUP = 1.7

PROGRAM = r"""
#include <stdio.h>
int main(void) {
    unsigned long n, i, x = 1;
    if (scanf("%lu", &n) != 1) return 1;
    for (i = 0; i < n; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
    printf("%lu\n", x);
    return 0;
}
"""


ROUNDS = 4
DISTINCT_INPUTS = 8


def prepare(workdir, tests, work):
    source = os.path.join(workdir, 'burn.c')
    with open(source, 'w') as f:
        f.write(PROGRAM)
    exe = os.path.join(workdir, 'burn')
    subprocess.run(['gcc', '-O2', '-o', exe, source], check=True)
    lines = []
    for number in range(tests):
        n = work + number % DISTINCT_INPUTS  # the same amount of work
        in_path = os.path.join(workdir, '%d.in' % n)
        hint_path = os.path.join(workdir, '%d.out' % n)
        if not os.path.exists(hint_path):
            with open(in_path, 'w') as f:
                f.write('%d\n' % n)
            with open(hint_path, 'wb') as f:
                f.write(subprocess.run([exe], input=b'%d\n' % n, stdout=subprocess.PIPE,
                                       check=True).stdout)
        lines.append(json.dumps({
            'job_type': 'exec', 'exe_file': exe, 'in_file': in_path,
            'hint_file': hint_path, 'check_output': True, 'exec_time_limit': 10000,
        }))
    inputs = []
    for number in range(ROUNDS):
        inputs.append(os.path.join(workdir, 'round%d.jsonl' % number))
        with open(inputs[-1], 'w') as f:
            f.write('\n'.join(lines[number::ROUNDS]) + '\n')
    return inputs


def judge(sio_batch, batch_input, workers):
    start = time.perf_counter()
    completed = subprocess.run([sio_batch, '-j', str(workers), '-i', batch_input],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               check=True, text=True)
    seconds = time.perf_counter() - start
    results = [json.loads(line) for line in completed.stdout.splitlines()]
    bad = [r for r in results if r.get('result_code') != 'OK']
    assert not bad, 'not every test was judged OK: %r' % bad[:1]
    return seconds


def main():
    tests = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    work = int(sys.argv[2]) if len(sys.argv) > 2 else 100000000
    sio_batch = os.path.join(os.path.dirname(sys.executable), 'sio-batch')
    workdir = tempfile.mkdtemp(prefix='sio-bench-batch-')
    try:
        one = two = 0.0
        for batch_input in prepare(workdir, tests, work):
            one += judge(sio_batch, batch_input, 1)
            two += judge(sio_batch, batch_input, 2)
    finally:
        shutil.rmtree(workdir)
    print('%d exec tests (%d cores available): -j 1 %.2f s (%.1f ms/test), '
          '-j 2 %.2f s' % (tests, len(os.sched_getaffinity(0)), one,
                           one / tests * 1000, two))
    speedup = one / two
    report('sio-batch -j 2 speed-up over -j 1', speedup, 'x',
           '>= %.1fx' % TARGET_SPEEDUP, speedup >= TARGET_SPEEDUP)


if __name__ == '__main__':
    main()
