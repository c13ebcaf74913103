"""Problems of the environ, not of the program: the job fails naming them."""

import pytest

from tests.support import A_PLUS_B


def test_unknown_compiler_is_a_failure_naming_it(sources):
    sources.write('sum.c', A_PLUS_B['c'])
    result = sources.compile('sum.c', compiler='turbo-basic')
    assert result['result'] == 'FAILURE'
    assert 'turbo-basic' in result['exception']


def test_unknown_extension_is_a_failure_naming_it(sources):
    sources.write('sum.cob', 'IDENTIFICATION DIVISION.\n')
    result = sources.compile('sum.cob')
    assert result['result'] == 'FAILURE'
    assert 'default-cob' in result['exception'] and 'sum.cob' in result['exception']


def test_source_without_extension_needs_a_compiler(sources):
    sources.write('program', A_PLUS_B['c'])
    result = sources.compile('program')
    assert result['result'] == 'FAILURE'
    assert "'compiler'" in result['exception'] and 'program' in result['exception']


@pytest.mark.parametrize('key', ['source_file', 'out_file'])
def test_missing_file_key_is_named(sources, key):
    sources.write('sum.c', A_PLUS_B['c'])
    environ = {'job_type': 'compile', 'use_filetracker': False,
               'source_file': sources.path('sum.c'), 'out_file': sources.path('out')}
    del environ[key]
    from sio.workers import run

    result = run(environ)
    assert result['result'] == 'FAILURE'
    assert repr(key) in result['exception']


def test_missing_source_is_a_failure_naming_it(sources):
    result = sources.compile('nowhere.c')
    assert result['result'] == 'FAILURE'
    assert 'nowhere.c' in result['exception']


def test_relative_paths_are_relative_to_the_callers_directory(sources, monkeypatch):
    from sio.workers import run

    sources.write('sum.c', A_PLUS_B['c'])
    monkeypatch.chdir(sources.root)
    result = run({'job_type': 'compile', 'use_filetracker': False,
                  'source_file': 'sum.c', 'out_file': 'bin/sum'})
    assert result['result_code'] == 'OK', result.get('exception')
    assert sources.exists('bin/sum') and result['out_file'] == 'bin/sum'


def test_compile_through_sio_batch(sources, sio_batch):
    sources.write('sum.c', A_PLUS_B['c'])
    out = sio_batch({'job_type': 'compile', 'use_filetracker': False,
                     'source_file': sources.path('sum.c'),
                     'out_file': sources.path('bin/sum')})
    assert out.returncode == 0
    assert out.environ['result_code'] == 'OK'
    assert out.environ['exec_info'] == {'mode': 'executable'}
