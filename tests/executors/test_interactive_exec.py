"""interactive-exec: a program in dialogue with an interactor, through run()."""

import pytest

from sio.workers import run

# Guess the number, written for the original sioworkers' protocol: run as
# "interactor N R1 W1 ...", it reads the secret from its standard input,
# talks to copy 1 through descriptors R1 and W1, and prints its verdict.
INTERACTOR = r"""
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    FILE *from = fdopen(atoi(argv[2]), "r"), *to = fdopen(atoi(argv[3]), "w");
    long secret, guess;
    int tries;
    if (argc != 4 || atoi(argv[1]) != 1) { printf("WRONG\nbad arguments\n"); return 0; }
    scanf("%ld", &secret);
    for (tries = 1; tries <= 30; tries++) {
        if (fscanf(from, "%ld", &guess) != 1) {
            printf("WRONG\nno guess after %d tries\n", tries - 1);
            return 0;
        }
        if (guess == secret) {
            fprintf(to, "yes\n"); fflush(to);
            printf("OK\nfound in %d tries\n", tries);
            return 0;
        }
        fprintf(to, guess < secret ? "higher\n" : "lower\n"); fflush(to);
    }
    printf("WRONG\ntoo many guesses\n");
    return 0;
}
"""

# Asks each of N copies for its index (the argument it was given) and
# grades by their sum: 2 copies answer 0 + 1.
SUM_OF_INDICES = r"""
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    int n = atoi(argv[1]), sum = 0;
    for (int i = 0; i < n; i++) {
        FILE *from = fdopen(atoi(argv[2 + 2 * i]), "r");
        int index;
        if (fscanf(from, "%d", &index) != 1) { printf("WRONG\ncopy %d said nothing\n", i); return 0; }
        sum += index;
    }
    printf(sum == n * (n - 1) / 2 ? "OK\nall %d copies\n1/2\n" : "WRONG\nsum %d\n", n, sum);
    return 0;
}
"""

SAYS_ITS_INDEX = r"""
#include <stdio.h>
int main(int argc, char **argv) { printf("%s\n", argv[1]); return 0; }
"""

# Writes to a solution that is gone, without catching SIGPIPE.
INTERACTOR_WRITES_ON = r"""
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int to = atoi(argv[3]);
    sleep(1);
    for (;;) write(to, "more\n", 5);
}
"""

QUITS_AT_ONCE = r"""
int main(void) { return 0; }
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
#include <stdlib.h>
int main(int argc, char **argv) {
    long guess;
    fscanf(fdopen(atoi(argv[2]), "r"), "%ld", &guess);
    *(volatile int *)0 = 1;
    return 0;
}
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
    assert tuple(result['result_percentage']) == (100, 1)
    assert result['time_used'] >= 0 and result['mem_used'] > 0 and 'real_time_used' in result


def test_a_wrong_program_gets_the_interactors_verdict(judge):
    result = judge(COUNT_UP)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'WA'
    assert result['result_string'] == 'too many guesses'
    assert tuple(result['result_percentage']) == (0, 1)


def test_a_program_waiting_for_input_that_never_comes_exceeds_the_time(judge):
    result = judge(WAITS_FOR_INPUT)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'TLE'


def test_a_crashing_program_is_a_runtime_error(judge):
    result = judge(CRASHES)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'RE'
    assert 'signal 11' in result['result_string']


def test_a_crash_is_told_from_the_verdict_its_partner_then_wrote_every_time(judge):
    # The interactor, reading end-of-file from the crashed program, writes
    # WRONG at once: its sandbox may well close before the program's.
    verdicts = {(judge(CRASHES)['result_code']) for _ in range(25)}
    assert verdicts == {'RE'}


def test_a_hanging_interactor_fails_the_job(judge):
    result = judge(BINARY_SEARCH, INTERACTOR_HANGS, interactor_real_time_limit=1500)
    assert result['result'] == 'FAILURE'
    assert 'interactor interactor_file exceeded its time limit' in result['exception']


def test_a_crashing_interactor_fails_the_job(judge):
    result = judge(BINARY_SEARCH, INTERACTOR_CRASHES)
    assert result['result'] == 'FAILURE'
    assert 'interactor interactor_file was killed by signal 11' in result['exception']


@pytest.mark.parametrize('job_type', ['interactive-exec', 'cpu-interactive-exec',
                                      'sio2jail-interactive-exec', 'unsafe-interactive-exec'])
def test_every_interactive_job_name_of_the_original(judge, job_type):
    result = judge(BINARY_SEARCH, job_type=job_type)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK'


def test_several_copies_each_get_their_index_and_pipes(judge):
    result = judge(SAYS_ITS_INDEX, SUM_OF_INDICES, num_processes=2)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert (result['result_code'], result['result_string']) == ('OK', 'all 2 copies')
    assert tuple(result['result_percentage']) == (1, 2)


def test_an_interactor_cut_off_by_a_solution_that_left_is_wa(judge):
    result = judge(QUITS_AT_ONCE, INTERACTOR_WRITES_ON)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert (result['result_code'], result['result_string']) == \
        ('WA', 'solution exited prematurely')


def test_no_expected_output_is_needed(judge):
    # OIOIOI sends '/.' when a test has no output file: it is not fetched.
    result = judge(BINARY_SEARCH, hint_file='/.', check_output=True)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK'


def test_a_zipped_test_is_unpacked_for_the_interactor(judge, tmp_path):
    import zipfile

    archive = str(tmp_path / 'test.zip')
    with zipfile.ZipFile(archive, 'w') as z:
        z.writestr('1.in', '777\n')
    result = judge(BINARY_SEARCH, in_file=archive)
    assert result['result_code'] == 'OK', result.get('exception')
    assert result['result_string'].startswith('found in ')


def test_the_interactors_output_is_stored_as_out_file(judge, tmp_path):
    out = str(tmp_path / 'stored.out')
    result = judge(BINARY_SEARCH, out_file=out)
    assert result['result_code'] == 'OK'
    assert open(out).read().startswith('OK\nfound in ')
