"""The compilation limits: output, result size, time, memory."""

import time

import pytest

from tests.support import A_PLUS_B

MANY_ERRORS = ''.join('int f%d(void) { return undeclared_%d; }\n' % (i, i)
                      for i in range(300))
# A compile-time computation that would run for minutes: two nested loops,
# each short enough for g++'s loop limit, together below its ops limit only
# after billions of steps.
HANGING_CPP = '''
constexpr long long spin() {
    long long total = 0;
    for (long long i = 0; i < 200000; ++i)
        for (long long j = 0; j < 200000; ++j)
            total += i ^ j;
    return total;
}
constexpr long long value = spin();
int main() { return value == 1; }
'''


def test_compiler_output_is_cut_at_the_limit(sources):
    sources.write('bad.c', MANY_ERRORS)
    result = sources.compile('bad.c', compilation_output_limit=300)
    assert result['result_code'] == 'CE'
    output = result['compiler_output']
    assert 0 < len(output.encode('utf-8')) <= 300
    assert 'undeclared_0' in output


def test_default_output_limit_is_5120_bytes(sources):
    sources.write('bad.c', MANY_ERRORS)
    result = sources.compile('bad.c')
    assert 5000 < len(result['compiler_output'].encode('utf-8')) <= 5120


def test_compiler_output_is_valid_utf8_whatever_the_source_holds(sources):
    # invalid UTF-8 and multi-byte characters quoted back in the errors
    text = b'int main(void) { return \xff\xfe \xc5\xbc\xc3\xb3\xc5\x82\xc4\x87; }\n' * 20
    sources.write('bad.c', text, mode='wb')
    for output_limit in range(101, 111):
        result = sources.compile('bad.c', compilation_output_limit=output_limit)
        assert result['result_code'] == 'CE'
        output = result['compiler_output']
        assert isinstance(output, str) and len(output.encode('utf-8')) <= output_limit
        output.encode('utf-8')  # no lone surrogates


def test_zero_output_limit_keeps_nothing(sources):
    sources.write('bad.c', MANY_ERRORS)
    result = sources.compile('bad.c', compilation_output_limit=0)
    assert result['result_code'] == 'CE' and result['compiler_output'] == ''


def test_program_over_the_size_limit_is_a_compilation_error(sources):
    sources.write('sum.c', A_PLUS_B['c'])
    result = sources.compile('sum.c', compilation_result_size_limit=1000)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'CE'
    assert 'compilation_result_size_limit' in result['compiler_output']
    assert not sources.exists('out/program')


def test_program_within_the_size_limit_compiles(sources):
    sources.write('sum.c', A_PLUS_B['c'])
    result = sources.compile('sum.c', compilation_result_size_limit=50 * 1024 * 1024)
    assert result['result_code'] == 'OK'


def test_huge_program_is_stopped_while_being_written(sources):
    sources.write('big.c', 'char big[200 << 20] = {1};\nint main(void) { return big[5]; }\n')
    result = sources.compile('big.c', compilation_result_size_limit=1 << 20)
    assert result['result_code'] == 'CE'
    assert 'File size limit exceeded' in result['compiler_output']
    assert not sources.exists('out/program')


def test_hanging_compilation_is_stopped_at_the_time_limit(sources):
    sources.write('hang.cpp', HANGING_CPP)
    started = time.monotonic()
    result = sources.compile('hang.cpp', compilation_time_limit=1500,
                             extra_compilation_args='-fconstexpr-ops-limit=1000000000000')
    assert time.monotonic() - started < 60
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'CE'
    assert 'compilation_time_limit' in result['compiler_output']


def test_hanging_compilation_is_stopped_at_the_real_time_limit(sources):
    sources.write('hang.cpp', HANGING_CPP)
    result = sources.compile('hang.cpp', compilation_real_time_limit=1000,
                             extra_compilation_args='-fconstexpr-ops-limit=1000000000000')
    assert result['result_code'] == 'CE'
    assert 'compilation_real_time_limit' in result['compiler_output']


@pytest.mark.parametrize('lang', ['cpp', 'java'])
def test_compiler_short_of_memory_is_a_compilation_error(sources, lang):
    sources.write('Sum.' + lang, A_PLUS_B[lang])
    result = sources.compile('Sum.' + lang, compilation_mem_limit=8000)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'CE'
    assert result['compiler_output']


@pytest.mark.parametrize('key,value', [
    ('compilation_time_limit', 'soon'), ('compilation_mem_limit', -1),
    ('compilation_output_limit', 1.5), ('compilation_result_size_limit', True),
    ('compilation_real_time_limit', [1]),
])
def test_malformed_limits_fail_naming_the_key(sources, key, value):
    sources.write('sum.c', A_PLUS_B['c'])
    result = sources.compile('sum.c', **{key: value})
    assert result['result'] == 'FAILURE'
    assert key in result['exception']
