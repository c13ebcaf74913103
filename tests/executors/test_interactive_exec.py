"""interactive-exec: a program in dialogue with an interactor, through run()."""

import pytest

from sio.workers import run

# Guess the number: the interactor reads the secret from IN, answers each
# guess with "higher", "lower" or "yes", and writes its verdict to VERDICT.
INTERACTOR = r"""
#include <stdio.h>
int main(int argc, char **argv) {
    FILE *in = fopen(argv[1], "r"), *verdict = fopen(argv[2], "w");
    long secret, guess;
    int tries;
    fscanf(in, "%ld", &secret);
    for (tries = 1; tries <= 30; tries++) {
        if (scanf("%ld", &guess) != 1) {
            fprintf(verdict, "WRONG\nno guess after %d tries\n", tries - 1);
            return 0;
        }
        if (guess == secret) {
            printf("yes\n"); fflush(stdout);
            fprintf(verdict, "OK\nfound in %d tries\n", tries);
            return 0;
        }
        printf(guess < secret ? "higher\n" : "lower\n"); fflush(stdout);
    }
    fprintf(verdict, "WRONG\ntoo many guesses\n");
    return 0;
}
"""

BINARY_SEARCH = r"""
#include <stdio.h>
#include <string.h>
int main(void) {
    long lo = 1, hi = 1000000;
    char answer[16];
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        printf("%ld\n", mid); fflush(stdout);
        if (scanf("%15s", answer) != 1) return 0;
        if (!strcmp(answer, "yes")) return 0;
        if (!strcmp(answer, "higher")) lo = mid + 1; else hi = mid - 1;
    }
    return 0;
}
"""

COUNT_UP = r"""
#include <stdio.h>
int main(void) {
    char answer[16];
    for (long guess = 1;; guess++) {
        printf("%ld\n", guess); fflush(stdout);
        if (scanf("%15s", answer) != 1) return 0;
    }
}
"""

# Waits for the interactor to speak first, which it never does.
WAITS_FOR_INPUT = r"""
#include <stdio.h>
int main(void) { char word[16]; scanf("%15s", word); return 0; }
"""

CRASHES = r"""
#include <stdio.h>
int main(void) { printf("1\n"); fflush(stdout); *(volatile int *)0 = 1; return 0; }
"""

INTERACTOR_HANGS = r"""
#include <unistd.h>
int main(void) { for (;;) pause(); }
"""

INTERACTOR_CRASHES = r"""
#include <stdio.h>
int main(void) { long guess; scanf("%ld", &guess); *(volatile int *)0 = 1; return 0; }
"""


@pytest.fixture
def judge(gcc, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def call(solution, interactor=INTERACTOR, **keys):
        environ = {'job_type': 'interactive-exec', 'exe_file': gcc(solution),
                   'interactor_file': gcc(interactor), 'in_file': write('1.in', '777\n'),
                   'exec_time_limit': 500}
        environ.update(keys)
        return run(environ)

    return call


def test_a_correct_program_is_ok(judge):
    result = judge(BINARY_SEARCH)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK'
    assert result['result_string'].startswith('found in ')
    assert result['result_percentage'] == 100
    assert result['time_used'] >= 0 and result['mem_used'] > 0


def test_a_wrong_program_gets_the_interactors_verdict(judge):
    result = judge(COUNT_UP)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'WA'
    assert result['result_string'] == 'too many guesses'
    assert result['result_percentage'] == 0


def test_a_program_waiting_for_input_that_never_comes_exceeds_the_time(judge):
    result = judge(WAITS_FOR_INPUT)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'TLE'


def test_a_crashing_program_is_a_runtime_error(judge):
    result = judge(CRASHES)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'RE'
    assert 'signal 11' in result['result_string']


def test_a_hanging_interactor_fails_the_job(judge):
    result = judge(BINARY_SEARCH, INTERACTOR_HANGS, interactor_real_time_limit=1500)
    assert result['result'] == 'FAILURE'
    assert 'interactor interactor_file exceeded its time limit' in result['exception']


def test_a_crashing_interactor_fails_the_job(judge):
    result = judge(BINARY_SEARCH, INTERACTOR_CRASHES)
    assert result['result'] == 'FAILURE'
    assert 'interactor interactor_file was killed by signal 11' in result['exception']
