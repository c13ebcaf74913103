"""Interactive tasks as OIOIOI judges them, under each of the original's
interactive job names.

OIOIOI's ``run_tests`` sends an interactive test as any other, with
``task_type_suffix`` ``-interactive-exec`` after the exec mode
(``sio2jail``, ``cpu``, ``unsafe``, or none), ``interactor_file``,
``num_processes`` and, as the test has no output file, ``hint_file``
``/.``.  The interactor below is written for the original's protocol:
``soc N R1 W1 ... RN WN``, the test on its standard input, its verdict on
its standard output; when a copy of the program has gone it returns 141
(128 + SIGPIPE), as the interactors of OIOIOI's own test packages do.
"""

from fractions import Fraction
from math import ceil

import pytest

from sio.workers import run

# Copy i is sent the test's number plus i and must answer its square plus
# its own index, the argument it was started with.  The test: the number,
# and the percentage to give when every copy answers right.
INTERACTOR = r"""
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 0;
    long x;
    char percent[16];
    if (n < 1 || argc != 2 + 2 * n || scanf("%ld %15s", &x, percent) != 2) {
        printf("WRONG\nbad call or bad test\n");
        return 0;
    }
    for (int i = 0; i < n; i++) {
        FILE *from = fdopen(atoi(argv[2 + 2 * i]), "r");
        FILE *to = fdopen(atoi(argv[3 + 2 * i]), "w");
        long answer;
        fprintf(to, "%ld\n", x + i);
        fflush(to);
        if (fscanf(from, "%ld", &answer) != 1)
            return 128 + 13;
        if (answer != (x + i) * (x + i) + i) {
            printf("WRONG\ncopy %d answered %ld\n", i, answer);
            return 0;
        }
    }
    printf("OK\n%d %s right\n%s\n", n, n == 1 ? "copy" : "copies", percent);
    return 0;
}
"""

GOOD = r"""
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    long y;
    if (argc != 2 || scanf("%ld", &y) != 1) return 5;
    printf("%ld\n", y * y + atol(argv[1]));
    return 0;
}
"""

WRONG = r"""
#include <stdio.h>
int main(void) { long y; if (scanf("%ld", &y) == 1) printf("%ld\n", y * y + 7); return 0; }
"""

QUITS = 'int main(void) { return 0; }\n'

FAILS = r"""
#include <stdio.h>
int main(void) { long y; return scanf("%ld", &y) == 1 ? 1 : 2; }
"""

JOB_TYPES = {'sio2jail': 'sio2jail-interactive-exec', 'cpu': 'cpu-interactive-exec',
             'unsafe': 'unsafe-interactive-exec', '': 'interactive-exec'}


def oioioi_interactive_job(exec_mode, exe, interactor, test_in, num_processes):
    """``run_tests``' job for one test of an interactive problem."""
    job = {'id': 31, 'name': '1a', 'in_file': test_in, 'hint_file': '/.', 'kind': 'NORMAL',
           'group': '1', 'max_score': 10, 'order': 1, 'exec_time_limit': 1000,
           'exec_mem_limit': 65536, 'to_judge': True}
    job['job_type'] = (exec_mode + '-interactive-exec').lstrip('-')
    job.update(task_priority=100, exe_file=exe, exec_info={'mode': 'executable'},
               check_output=True, checker_format='english_abbreviated',
               untrusted_checker=False, interactor_file=interactor,
               num_processes=num_processes)
    return job


def read_as_oioioi(result):
    """(status, comment, percentage, score) as make_report and the
    discrete test scorer take them."""
    assert result['result'] == 'SUCCESS', result.get('exception')
    percentage = Fraction(*result.get('result_percentage', (100, 1)))
    score = ceil(percentage / 100.0 * 10) if result['result_code'] == 'OK' else 0
    comment = result.get('result_string', '')
    return result['result_code'], ('' if comment.lower() == 'ok' else comment), \
        percentage, score


@pytest.mark.parametrize('exec_mode', sorted(JOB_TYPES), ids=lambda mode: JOB_TYPES[mode])
def test_an_interactor_of_the_originals_protocol_judges(gcc, write, exec_mode):
    interactor = gcc(INTERACTOR)
    test_in = write('1a.in', '6 85/2\n')

    def judge(source, num_processes=1):
        job = oioioi_interactive_job(exec_mode, gcc(source), interactor, test_in,
                                     num_processes)
        assert job['job_type'] == JOB_TYPES[exec_mode]
        return read_as_oioioi(run(job))

    assert judge(GOOD) == ('OK', '1 copy right', Fraction(85, 2), 5)
    assert judge(GOOD, num_processes=3) == ('OK', '3 copies right', Fraction(85, 2), 5)
    assert judge(WRONG) == ('WA', 'copy 0 answered 43', 0, 0)
    # The interactor returns 141 as the copy has gone, or SIGPIPE stops it.
    assert judge(QUITS) == ('WA', 'solution exited prematurely', 0, 0)
    failed = 'program exited with code 1' if exec_mode == 'unsafe' else 'runtime error 1'
    assert judge(FAILS) == ('RE', failed, 0, 0)
