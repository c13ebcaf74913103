"""The compile job: every language compiles, runs under the exec jobs, and
reports its syntax errors as CE."""

import pytest

from tests.support import A_PLUS_B, SYNTAX_ERRORS
from sio.workers import run


@pytest.fixture(scope='module')
def compiled(tmp_path_factory):
    """Every a+b compiled once: language -> (program path, exec_info)."""
    from tests.support import Sources

    sources = Sources(str(tmp_path_factory.mktemp('a-plus-b')))
    programs = {}
    for lang, text in A_PLUS_B.items():
        sources.write('sum.' + lang, text)
        result = sources.compile('sum.' + lang, out='bin/sum-' + lang)
        assert result['result'] == 'SUCCESS', result.get('exception')
        assert result['result_code'] == 'OK', result['compiler_output']
        programs[lang] = (sources.path('bin/sum-' + lang), result['exec_info'])
    sources.write('in.txt', '2000000000 2000000001\n')
    sources.write('hint.txt', '4000000001\n')
    return sources, programs


@pytest.mark.parametrize('job_type', ['exec', 'unsafe-exec'])
@pytest.mark.parametrize('lang', sorted(A_PLUS_B))
def test_a_plus_b_compiles_and_runs_correctly(compiled, lang, job_type):
    sources, programs = compiled
    program, exec_info = programs[lang]
    result = run({
        'job_type': job_type, 'use_filetracker': False, 'exe_file': program,
        'exec_info': exec_info, 'in_file': sources.path('in.txt'),
        'out_file': sources.path('out-%s-%s.txt' % (lang, job_type)),
        'check_output': True, 'hint_file': sources.path('hint.txt'),
        # the same limits for every language, Java included
        'exec_time_limit': 5000, 'exec_mem_limit': 66000,
    })
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result.get('result_string')
    with open(sources.path('out-%s-%s.txt' % (lang, job_type))) as f:
        assert f.read() == '4000000001\n'


def test_exec_info_says_how_to_run_each_language(compiled):
    _, programs = compiled
    assert programs['c'][1] == {'mode': 'executable'}
    assert programs['cpp'][1] == {'mode': 'executable'}
    assert programs['pas'][1] == {'mode': 'executable'}
    assert programs['java'][1] == {'mode': 'java', 'main_class': 'Sum'}
    assert programs['py'][1] == {'mode': 'python'}


@pytest.mark.parametrize('lang', sorted(SYNTAX_ERRORS))
def test_syntax_error_is_a_compilation_error_with_the_message(sources, lang):
    text, word = SYNTAX_ERRORS[lang]
    sources.write('bad.' + lang, text)
    result = sources.compile('bad.' + lang)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'CE'
    assert word in result['compiler_output']
    assert 'bad.' + lang in result['compiler_output'] or lang == 'java'
    assert 'exec_info' not in result
    assert not sources.exists('out/program')


def test_extension_is_lower_cased_to_choose_the_compiler(sources):
    sources.write('sum.CPP', A_PLUS_B['cpp'])
    result = sources.compile('sum.CPP')
    assert result['result_code'] == 'OK', result['compiler_output']


@pytest.mark.parametrize('compiler', ['system-gcc', 'c', 'system-c', 'default-c'])
def test_c_compiler_aliases(sources, compiler):
    sources.write('sum.txt', A_PLUS_B['c'])
    result = sources.compile('sum.txt', compiler=compiler)
    assert result['result_code'] == 'OK', result.get('exception')


@pytest.mark.parametrize('compiler', ['system-g++', 'cpp', 'cc', 'system-cpp',
                                      'default-cpp', 'default-cc'])
def test_cpp_compiler_aliases(sources, compiler):
    # valid C++ only: a C compiler would reject it
    sources.write('sum.txt', A_PLUS_B['cpp'])
    result = sources.compile('sum.txt', compiler=compiler)
    assert result['result_code'] == 'OK', result.get('exception')


@pytest.mark.parametrize('compiler,lang', [
    ('system-fpc', 'pas'), ('pas', 'pas'), ('default-pas', 'pas'),
    ('system-python', 'py'), ('py', 'py'), ('default-py', 'py')])
def test_other_compiler_aliases(sources, compiler, lang):
    sources.write('sum.txt', A_PLUS_B[lang])
    result = sources.compile('sum.txt', compiler=compiler)
    assert result['result_code'] == 'OK', result.get('exception')


def test_java_aliases_and_a_class_not_named_like_the_file(sources):
    sources.write('submission-17.java', A_PLUS_B['java'])
    for compiler in ('system-java', 'java', 'default-java'):
        result = sources.compile('submission-17.java', compiler=compiler)
        assert result['result_code'] == 'OK', result['compiler_output']
        assert result['exec_info'] == {'mode': 'java', 'main_class': 'Sum'}


def test_output_only_stores_the_answer_unchanged(sources):
    sources.write('answer.out', '42\n')
    result = sources.compile('answer.out', compiler='output-only')
    assert result['result_code'] == 'OK'
    with open(sources.path('out/program')) as f:
        assert f.read() == '42\n'
