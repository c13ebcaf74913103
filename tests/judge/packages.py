"""Small sinol packages the judge tests build: task ``abc``, a + b."""

import json
import os
import subprocess

from tests.support import tool

MODEL = r'''
#include <stdio.h>
int main(void) { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\n", a + b); return 0; }
'''
# Wrong when a equals b.
WRONG = r'''
#include <stdio.h>
int main(void) { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\n", a + b - (a == b)); return 0; }
'''
# Spins for a while on large inputs: past any limit of these packages.
SLOW = r'''
#include <stdio.h>
int main(void) {
    long long a, b; scanf("%lld %lld", &a, &b);
    if (a > 1000) { volatile unsigned long long x = 0; for (;;) x++; }
    printf("%lld\n", a + b); return 0;
}
'''
# One more than the answer: half the points from CHECKER.
OFF_BY_ONE = r'''
#include <stdio.h>
int main(void) { long long a, b; scanf("%lld %lld", &a, &b); printf("%lld\n", a + b + 1); return 0; }
'''
CHECKER = r'''
#include <stdio.h>
int main(int argc, char **argv) {
    FILE *out = fopen(argv[2], "r"), *hint = fopen(argv[3], "r");
    long long got, want;
    if (fscanf(out, "%lld", &got) != 1 || fscanf(hint, "%lld", &want) != 1) { puts("WRONG\nno number"); return 0; }
    if (got == want) puts("OK");
    else if (got == want + 1) puts("OK\noff by one\n50");
    else puts("WRONG\nwrong sum");
    return 0;
}
'''
INGEN = r'''
#include <stdio.h>
static void test(const char *name, long a, long b) {
    FILE *f = fopen(name, "w"); fprintf(f, "%ld %ld\n", a, b); fclose(f);
}
int main(void) {
    test("abc0.in", 1, 2); test("abc1a.in", 3, 4); test("abc1b.in", 5, 5);
    test("abc2a.in", 5000, 1); test("abc2b.in", 7, 9); return 0;
}
'''
# Accepts a and b up to a million; rejects anything else.
INWER = r'''
#include <stdio.h>
int main(void) {
    long a, b;
    if (scanf("%ld %ld", &a, &b) != 2 || a < 0 || b < 0 || a > 1000000 || b > 1000000) {
        puts("WRONG"); return 1;
    }
    puts("OK"); return 0;
}
'''
TESTS = {'abc0': (1, 2), 'abc1a': (3, 4), 'abc1b': (5, 5), 'abc2a': (5000, 1),
         'abc2b': (7, 9)}
CONFIG = '''\
title: A plus B
sinol_task_id: abc
time_limit: 1000
memory_limit: 65536
time_limits:
  2: 500
scores:
  1: 40
  2: 60
'''


def make_package(root, programs=None, config=CONFIG, tests=TESTS, outputs=True):
    """Writes a package into ``root``: ``programs`` maps file names in
    ``prog/`` to sources (default: the model solution only)."""
    for directory in ('in', 'out', 'prog', 'doc'):
        os.makedirs(os.path.join(root, directory), exist_ok=True)
    with open(os.path.join(root, 'config.yml'), 'w') as f:
        f.write(config)
    for name, source in (programs or {'abc.c': MODEL}).items():
        with open(os.path.join(root, 'prog', name), 'w') as f:
            f.write(source)
    for name, (a, b) in tests.items():
        with open(os.path.join(root, 'in', name + '.in'), 'w') as f:
            f.write('%d %d\n' % (a, b))
        if outputs:
            with open(os.path.join(root, 'out', name + '.out'), 'w') as f:
                f.write('%d\n' % (a + b))
    return str(root)


def sio_judge(*args, timeout=300):
    """Runs the installed ``sio-judge``; returns the completed process."""
    return subprocess.run([tool('sio-judge')] + [str(arg) for arg in args],
                          capture_output=True, text=True, timeout=timeout)


def judged(*args):
    """``sio-judge --json ARGS``: (exit status, report)."""
    out = sio_judge('--json', *args)
    assert out.stdout, out.stderr
    return out.returncode, json.loads(out.stdout)


def verdicts(solution):
    return {name: row['verdict'] for name, row in solution['tests'].items()}
