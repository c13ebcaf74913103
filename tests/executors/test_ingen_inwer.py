"""ingen and inwer: generating test inputs and verifying them, through run()."""

import os

import pytest

from sio.workers import run

GENERATOR = r"""
#include <stdio.h>
#include <sys/stat.h>
static void put(const char *name, const char *text) {
    FILE *f = fopen(name, "w"); fputs(text, f); fclose(f);
}
int main(void) {
    put("1a.in", "1\n"); put("1b.in", "22\n"); put("1a.out", "x\n");
    put("notes.txt", "n\n"); put("1a.in.bak", "b\n");
    mkdir("sub", 0755); put("sub/2.in", "2\n");
    puts("Everything OK"); puts("Really");
    return 0;
}
"""

ONE_FILE_FOREVER = r"""
#include <stdio.h>
int main(void) {
    FILE *f = fopen("big.in", "w");
    for (;;) fputs("0123456789abcdef0123456789abcdef\n", f);
}
"""

MANY_FILES_FOREVER = r"""
#include <stdio.h>
int main(void) {
    static char block[65536];
    char name[64];
    for (long i = 0;; i++) {
        sprintf(name, "%ld.in", i);
        FILE *f = fopen(name, "w");
        if (f) { fwrite(block, 1, sizeof block, f); fclose(f); }
    }
}
"""

FAILING_GENERATOR = r"""
#include <stdio.h>
int main(void) { FILE *f = fopen("1.in", "w"); fputs("1\n", f); fclose(f); return 3; }
"""

VERIFIER = r"""
#include <stdio.h>
int main(int argc, char **argv) {
    long n;
    const char *name = argc > 1 ? argv[1] : "?";
    if (scanf("%ld", &n) != 1) { printf("WRONG no number in test %s\n", name); return 1; }
    if (n < 1 || n > 100) { printf("WRONG n=%ld out of range in test %s\n", n, name); return 0; }
    printf("OK n=%ld in test %s\nsecond line\n", n, name);
    return n == 13 ? 7 : 0;
}
"""


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _ingen(exe, **keys):
    environ = {'job_type': 'ingen', 'exe_file': exe, 're_string': r'.*\.in$',
               'collected_files_path': 'collected'}
    environ.update(keys)
    return run(environ)


def test_ingen_collects_exactly_the_matching_files(gcc, tmp_path):
    result = _ingen(gcc(GENERATOR))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK' and result['return_code'] == 0
    assert result['collected_files'] == {'1a.in': 'collected/1a.in',
                                         '1b.in': 'collected/1b.in'}
    assert sorted(os.listdir(tmp_path / 'collected')) == ['1a.in', '1b.in']
    assert (tmp_path / 'collected' / '1b.in').read_text() == '22\n'
    assert result['stdout'] == ['Everything OK', 'Really']


def test_ingen_matches_a_prefix_of_the_name_as_the_original(gcc, tmp_path):
    result = _ingen(gcc(GENERATOR), re_string=r'1a\.in')
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert sorted(result['collected_files']) == ['1a.in', '1a.in.bak']


@pytest.mark.parametrize('source', [ONE_FILE_FOREVER, MANY_FILES_FOREVER],
                         ids=['one-file', 'many-files'])
def test_ingen_stops_a_generator_that_writes_forever(gcc, tmp_path, source):
    result = _ingen(gcc(source), ingen_files_size_limit=2 << 20, ingen_time_limit=30000)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OLE', result['result_string']
    assert 'ingen_files_size_limit' in result['result_string']
    assert result['collected_files'] == {}
    assert not (tmp_path / 'collected').exists()


def test_ingen_reports_a_failing_generator_and_collects_nothing(gcc, tmp_path):
    result = _ingen(gcc(FAILING_GENERATOR))
    assert result['result_code'] == 'RE' and result['return_code'] == 3
    assert result['result_string'] == 'exited with code 3'
    assert result['collected_files'] == {}


def test_ingen_names_a_bad_regular_expression(gcc):
    result = _ingen(gcc(GENERATOR), re_string='(unclosed')
    assert result['result'] == 'FAILURE'
    assert "'re_string'" in result['exception'] and '(unclosed' in result['exception']


def _inwer(exe, in_file, **keys):
    environ = {'job_type': 'inwer', 'exe_file': exe, 'in_file': in_file}
    environ.update(keys)
    return run(environ)


def test_inwer_accepts_a_good_input(gcc, write):
    result = _inwer(gcc(VERIFIER), write('1.in', '42\n'), inwer_argument='1a')
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert (result['result_code'], result['result_string']) == ('OK', 'ok')
    assert result['stdout'] == ['OK n=42 in test 1a', 'second line']


def test_inwer_gets_in_file_name_as_its_first_argument(gcc, write):
    result = _inwer(gcc(VERIFIER), write('1.in', '42\n'), in_file_name='abc1a.in')
    assert result['result_code'] == 'OK'
    assert result['stdout'][0] == 'OK n=42 in test abc1a.in'


@pytest.mark.parametrize('text, code, said, first', [
    # As in the original, exit status 0 alone accepts the input; its
    # output is for the caller to show.
    ('1000\n', 'OK', 'ok', 'WRONG n=1000 out of range in test ?'),
    ('x\n', 'RE', 'runtime error 1', 'WRONG no number in test ?'),
    ('13\n', 'RE', 'runtime error 7', 'OK n=13 in test ?'),
])
def test_inwer_result_code_says_how_the_verifier_ran(gcc, write, text, code, said, first):
    result = _inwer(gcc(VERIFIER), write('1.in', text))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert (result['result_code'], result['result_string']) == (code, said)
    assert result['stdout'][0] == first


def test_inwer_output_is_cut_at_its_limit(gcc, write):
    chatty = '#include <stdio.h>\nint main(void) { for (int i = 0; i < 5000; i++) ' \
             'puts("OK and more"); return 0; }'
    result = _inwer(gcc(chatty), write('1.in', '1\n'), inwer_output_limit=125)
    assert result['result_code'] == 'OK'
    assert result['stdout'] == ['OK and more'] * 10 + ['OK an']


def test_inwer_stops_a_verifier_that_runs_forever(gcc, write):
    spin = 'int main(void) { for (;;) ; }'
    result = _inwer(gcc(spin), write('1.in', '1\n'), inwer_time_limit=300)
    assert (result['result_code'], result['result_string']) == ('TLE', 'time limit exceeded')
