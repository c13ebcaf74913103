"""The files beside the source: includes, additional sources, extra files,
and extra compilation arguments, in all their forms."""

import subprocess

import pytest

MAIN_WITH_HEADER = ('#include <stdio.h>\n#include "value.h"\n'
                    'int main(void) { printf("%d\\n", VALUE); return 0; }\n')
MAIN_WITH_TWO_HEADERS = ('#include <stdio.h>\n#include "a.h"\n#include "b.h"\n'
                         'int main(void) { printf("%d\\n", A + B); return 0; }\n')
MAIN_CALLING = ('#include <stdio.h>\nint helper(void);\n'
                'int main(void) { printf("%d\\n", helper()); return 0; }\n')
MAIN_WITH_MACRO = ('#include <stdio.h>\n'
                   'int main(void) { printf("%d\\n", VALUE); return 0; }\n')


def output_of(sources, program='out/program'):
    return subprocess.run([sources.path(program)], capture_output=True, text=True,
                          timeout=30, check=True).stdout


def compiled_ok(result):
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result['compiler_output']
    return result


@pytest.mark.parametrize('form', ['path', 'list', 'object'])
def test_additional_includes(sources, form):
    sources.write('main.c', MAIN_WITH_HEADER)
    header = sources.write('lib/value.h', '#define VALUE 42\n')
    value = {'path': header, 'list': [header],
             'object': {'c': header, 'cpp': sources.write('x/value.h', 'wrong')}}[form]
    compiled_ok(sources.compile('main.c', additional_includes=value))
    assert output_of(sources) == '42\n'


def test_additional_includes_as_a_list_of_several(sources):
    sources.write('main.c', MAIN_WITH_TWO_HEADERS)
    headers = [sources.write('h/a.h', '#define A 40\n'), sources.write('h/b.h', '#define B 2\n')]
    compiled_ok(sources.compile('main.c', additional_includes=headers))
    assert output_of(sources) == '42\n'


def test_additional_includes_object_with_a_list_for_the_language(sources):
    sources.write('main.c', MAIN_WITH_TWO_HEADERS)
    headers = [sources.write('h/a.h', '#define A 40\n'), sources.write('h/b.h', '#define B 2\n')]
    compiled_ok(sources.compile('main.c', additional_includes={'c': headers}))
    assert output_of(sources) == '42\n'


def test_includes_for_another_language_are_not_placed(sources):
    sources.write('main.c', MAIN_WITH_HEADER)
    header = sources.write('lib/value.h', '#define VALUE 42\n')
    result = sources.compile('main.c', additional_includes={'cpp': header})
    assert result['result_code'] == 'CE'
    assert 'value.h' in result['compiler_output']


@pytest.mark.parametrize('form', ['path', 'list', 'object'])
def test_additional_sources_are_compiled_and_linked(sources, form):
    sources.write('main.c', MAIN_CALLING)
    helper = sources.write('lib/helper.c', 'int helper(void) { return 7; }\n')
    value = {'path': helper, 'list': [helper], 'object': {'c': [helper]}}[form]
    compiled_ok(sources.compile('main.c', additional_sources=value))
    assert output_of(sources) == '7\n'


def test_additional_sources_of_cpp(sources):
    sources.write('main.cpp', '#include <iostream>\nint helper();\n'
                  'int main() { std::cout << helper() << "\\n"; }\n')
    helper = sources.write('lib/helper.cpp', 'int helper() { return 9; }\n')
    compiled_ok(sources.compile('main.cpp', additional_sources={'cpp': helper}))
    assert output_of(sources) == '9\n'


def test_pascal_unit_as_additional_source(sources):
    sources.write('main.pas', 'program main;\nuses helper;\nbegin\n  writeln(answer);\nend.\n')
    unit = sources.write('lib/helper.pas', 'unit helper;\ninterface\n'
                         'function answer: longint;\nimplementation\n'
                         'function answer: longint;\nbegin\n  answer := 5;\nend;\nend.\n')
    compiled_ok(sources.compile('main.pas', additional_sources={'pas': [unit]}))
    assert output_of(sources) == '5\n'


def test_extra_files_are_placed_under_their_names(sources):
    sources.write('main.c', MAIN_WITH_HEADER)
    stored = sources.write('store/0f3a9', '#define VALUE 11\n')
    compiled_ok(sources.compile('main.c', extra_files={'value.h': stored}))
    assert output_of(sources) == '11\n'


@pytest.mark.parametrize('form', ['string', 'list', 'object'])
def test_extra_compilation_args(sources, form):
    sources.write('main.c', MAIN_WITH_MACRO)
    value = {'string': '-DVALUE=3 -Wall', 'list': ['-DVALUE=3', '-Wall'],
             'object': {'c': '-DVALUE=3', 'cpp': '-DVALUE=4'}}[form]
    compiled_ok(sources.compile('main.c', extra_compilation_args=value))
    assert output_of(sources) == '3\n'


def test_extra_compilation_args_string_keeps_quoted_words_together(sources):
    sources.write('main.c', '#include <stdio.h>\n'
                  'int main(void) { puts(TEXT); return 0; }\n')
    compiled_ok(sources.compile('main.c',
                                extra_compilation_args='"-DTEXT=\\"two words\\""'))
    assert output_of(sources) == 'two words\n'


@pytest.mark.parametrize('key,value', [
    ('additional_includes', 5),
    ('additional_sources', {'c': [1, 2]}),
    ('extra_files', ['a.h']),
    ('extra_compilation_args', {'c': 3}),
])
def test_malformed_file_keys_fail_naming_the_key(sources, key, value):
    sources.write('main.c', MAIN_CALLING)
    failed_naming(sources.compile('main.c', **{key: value}), key)


def test_missing_include_fails_naming_the_file(sources):
    sources.write('main.c', MAIN_WITH_HEADER)
    failed_naming(sources.compile('main.c', additional_includes=sources.path('nope.h')),
                  'nope.h')


@pytest.mark.parametrize('name', ['lib/value.h', '../value.h', '/etc/value.h'])
def test_extra_files_are_placed_under_the_last_part_of_their_names(sources, name):
    sources.write('main.c', MAIN_WITH_HEADER)
    stored = sources.write('store/x', '#define VALUE 13\n')
    compiled_ok(sources.compile('main.c', extra_files={name: stored}))
    assert output_of(sources) == '13\n'
    assert not sources.exists('value.h')  # nothing written beside the job


@pytest.mark.parametrize('name', ['..', 'lib/', '-option.h'])
def test_extra_file_names_that_name_no_file_are_refused(sources, name):
    sources.write('main.c', MAIN_WITH_HEADER)
    stored = sources.write('store/x', '#define VALUE 1\n')
    failed_naming(sources.compile('main.c', extra_files={name: stored}), name, 'extra_files')


def failed_naming(result, *words):
    """The job failed, and its message names each of ``words``."""
    assert result['result'] == 'FAILURE', result
    for word in words:
        assert word in result['exception'], result['exception']
