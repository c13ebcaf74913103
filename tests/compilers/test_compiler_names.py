"""Every compiler name of the table (ours, the original sioworkers' and
OIOIOI's) compiles, in an environ shaped as OIOIOI's, a program that needs
the standard the name stands for, and is read back as OIOIOI reads it."""

import os
import re

import pytest

from tests.support import A_PLUS_B, oioioi_compile
from sio.compilers import named, names
from sio.workers import plugins, run
from sio.workers.defaults import COMPILERS_GROUP

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Prints the standard it was compiled with and whether GNU extensions are on.
C_PROBE = '''#include <stdio.h>
int main(void) {
#ifdef __STRICT_ANSI__
    printf("%ld iso\\n", (long) __STDC_VERSION__);
#else
    printf("%ld gnu\\n", (long) __STDC_VERSION__);
#endif
    return 0;
}
'''
CPP_PROBE = C_PROBE.replace('__STDC_VERSION__', '__cplusplus')

# Programs needing a standard (or its GNU dialect), and what they print.
NEEDS = {
    'gnu99': ('#include <stdio.h>\nint main(void) {\n  long long total = 0;\n'
              '  for (int i = 1; i <= 4; i++) { typeof(total) square = i * i;'
              ' total += square; }\n  printf("%lld\\n", total); return 0;\n}\n', '30'),
    'c17': ('#include <stdio.h>\n_Static_assert(sizeof(long long) == 8, "64 bits");\n'
            '#define KIND(x) _Generic((x), int: "int", double: "double")\n'
            'int main(void) { printf("%s %s\\n", KIND(1), KIND(1.0)); return 0; }\n',
            'int double'),
    'c++11': ('#include <algorithm>\n#include <iostream>\n#include <vector>\n'
              'int main() { std::vector<int> v{3, 1, 2};\n'
              '  std::sort(v.begin(), v.end(), [](int a, int b) { return a > b; });\n'
              '  for (auto x : v) std::cout << x; std::cout << "\\n"; }\n', '321'),
    'c++14': ('#include <iostream>\n#include <memory>\n'
              'int main() { auto p = std::make_unique<int>(0b1010);\n'
              '  auto twice = [](auto x) { return x + x; };\n'
              '  std::cout << twice(*p) << "\\n"; }\n', '20'),
    'c++17': ('#include <iostream>\n#include <numeric>\n#include <optional>\n'
              '#include <utility>\n'
              'int main() { auto [a, b] = std::pair<int, int>(12, 18);\n'
              '  std::optional<int> g = std::gcd(a, b);\n'
              '  std::cout << g.value_or(0) << "\\n"; }\n', '6'),
    'c++20': ('#include <bit>\n#include <concepts>\n#include <iostream>\n#include <span>\n'
              'template <std::integral T> T bits(T x) { return std::popcount(x); }\n'
              'int main() { int values[] = {7, 8}; std::span<int> s(values);\n'
              '  std::cout << bits(unsigned(s[0])) + bits(unsigned(s[1])) << "\\n"; }\n',
              '4'),
    'c++23': ('#include <iostream>\n#include <utility>\n'
              'enum class Colour : int { red = 5 };\n'
              'int main() { std::cout << std::to_underlying(Colour::red) << "\\n"; }\n',
              '5'),
}
NEEDS['gnu17'] = NEEDS['c17']
JAVA_8 = ('import java.util.Arrays;\n\npublic class Lambdas {\n'
          '    public static void main(String[] args) {\n'
          '        System.out.println(Arrays.asList(3, 4, 5).stream()'
          '.mapToInt(x -> x * x).sum());\n    }\n}\n')
JAVA_10 = ('public class Local {\n    public static void main(String[] args) {\n'
           '        var answer = 42;\n        System.out.println(answer);\n    }\n}\n')

NAMES = [(name, row) for row in names.TABLE for name in row[4]]
# What the original sioworkers 1.5.9 passes for each C and C++ name (its
# setup.py, compilers/gcc.py and system_gcc.py): standard, optimisation.
# system-gcc passes no -std there: GCC 12's default, gnu17.
ORIGINAL_C_CPP = {
    'system-gcc': ('gnu17', '-O2'), 'system-c': ('gnu17', '-O2'),
    'system-g++': ('c++20', '-O2'), 'system-cpp': ('c++20', '-O2'),
    'system-cc': ('c++20', '-O2'),
    'gcc4_8_2_c99': ('gnu99', '-O3'), 'gcc12_2_0_c17': ('c17', '-O3'),
    'gcc14_2_0_c17': ('gnu17', '-O3'), 'c': ('gnu17', '-O3'), 'default-c': ('gnu17', '-O3'),
    'g++4_8_2_cpp11': ('c++11', '-O3'), 'g++6_3_cpp14': ('c++14', '-O3'),
    'g++8_3_cpp17': ('c++17', '-O3'), 'g++8_3_cpp17_amd64': ('c++17', '-O3'),
    'g++10_2_cpp17_amd64': ('c++17', '-O3'), 'g++12_2_cpp20_amd64': ('c++20', '-O3'),
    'g++14_2_cpp23_amd64': ('c++23', '-O3'), 'cpp': ('c++23', '-O3'),
    'cc': ('c++23', '-O3'), 'default-cpp': ('c++23', '-O3'), 'default-cc': ('c++23', '-O3'),
}
C_CPP_NAMES = sorted((name, standard) for name, (standard, _) in ORIGINAL_C_CPP.items())
EXPECTED_VERSION = {'gnu99': 199901, 'c17': 201710, 'gnu17': 201710, 'c++11': 201103,
                    'c++14': 201402, 'c++17': 201703, 'c++20': 202002}


def run_compiled(sources, compiled, exec_info, stdin='', name='run'):
    """Runs a compiled program with the exec job; returns its output."""
    in_file = sources.write(name + '.in', stdin)
    result = run({'job_type': 'unsafe-exec', 'use_filetracker': False,
                  'exe_file': compiled, 'exec_info': exec_info, 'in_file': in_file,
                  'out_file': sources.path(name + '.out'), 'exec_time_limit': 10000,
                  'exec_mem_limit': 262144})
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result.get('result_string')
    with open(sources.path(name + '.out')) as f:
        return f.read()


def test_every_name_is_registered_to_the_class_of_its_row():
    assert len({name for name, _ in NAMES}) == len(NAMES), 'a name in two rows'
    for name, row in NAMES:
        assert plugins.load(COMPILERS_GROUP, name) is named.COMPILERS[row[0]], name


def test_original_and_oioioi_names_are_all_known():
    known = {name for name, _ in NAMES}
    original = {'gcc4_8_2_c99', 'gcc12_2_0_c17', 'gcc14_2_0_c17', 'g++4_8_2_cpp11',
                'g++6_3_cpp14', 'g++8_3_cpp17', 'g++8_3_cpp17_amd64',
                'g++10_2_cpp17_amd64', 'g++12_2_cpp20_amd64', 'g++14_2_cpp23_amd64',
                'fpc2_6_2', 'java1_8', 'system-gcc', 'system-g++', 'system-fpc',
                'system-java', 'output-only', 'default-c', 'default-cc', 'default-cpp',
                'default-pas', 'default-java', 'c', 'cc', 'cpp', 'pas', 'java',
                'system-c', 'system-cc', 'system-cpp', 'system-pas'}
    sinolpack = {prefix + lang for prefix in ('system-', 'default-')
                 for lang in ('c', 'cpp', 'cc', 'pas', 'java', 'py')}
    settings = {'python', 'system-python'}
    assert original | sinolpack | settings <= known


def test_c_and_cpp_rows_say_what_the_original_passes():
    in_table = {name: (row[2], row[3]) for name, row in NAMES if row[1] in ('c', 'cpp')}
    assert in_table == ORIGINAL_C_CPP


@pytest.mark.parametrize('name,standard', C_CPP_NAMES)
def test_c_and_cpp_names_compile_with_their_standard(sources, name, standard):
    lang = 'cpp' if standard.startswith('c++') else 'c'
    sources.write('probe.' + lang, CPP_PROBE if lang == 'cpp' else C_PROBE)
    (code, message, compiled, exec_info), _ = oioioi_compile(
        sources, 'probe.' + lang, name, lang)
    assert code == 'OK', message
    assert exec_info == {'mode': 'executable'}
    version, dialect = run_compiled(sources, compiled, exec_info).split()
    assert dialect == ('gnu' if standard.startswith('gnu') else 'iso')
    if standard == 'c++23':
        assert int(version) > 202002  # g++ 12 says 202100, later ones 202302
    else:
        assert int(version) == EXPECTED_VERSION[standard]


@pytest.mark.parametrize('name,standard', C_CPP_NAMES)
def test_c_and_cpp_names_compile_a_program_of_their_standard(sources, name, standard):
    lang = 'cpp' if standard.startswith('c++') else 'c'
    text, printed = NEEDS[standard]
    sources.write('needs.' + lang, text)
    (code, message, compiled, exec_info), _ = oioioi_compile(
        sources, 'needs.' + lang, name, lang)
    assert code == 'OK', message
    assert run_compiled(sources, compiled, exec_info) == printed + '\n'


@pytest.mark.parametrize('name,source,lang,newer', [
    ('g++4_8_2_cpp11', 'needs.cpp', 'cpp', 'c++14'),
    ('g++6_3_cpp14', 'needs.cpp', 'cpp', 'c++17'),
    ('g++10_2_cpp17_amd64', 'needs.cpp', 'cpp', 'c++20'),
    ('g++12_2_cpp20_amd64', 'needs.cpp', 'cpp', 'c++23'),
    ('gcc12_2_0_c17', 'needs.c', 'c', 'gnu99'),  # ISO C: no typeof
])
def test_a_name_rejects_what_its_standard_lacks(sources, name, source, lang, newer):
    sources.write(source, NEEDS[newer][0])
    (code, message, compiled, exec_info), result = oioioi_compile(
        sources, source, name, lang)
    assert code == 'CE'
    assert 'error' in message
    assert exec_info == {} and 'exec_info' not in result


def test_system_gxx_compiles_cpp20_as_the_original(sources):
    sources.write('ranges.cpp', '#include <iostream>\n#include <ranges>\n#include <vector>\n'
                  'int main() { std::vector<int> v{1, 2, 3, 4};\n'
                  '  for (int x : v | std::views::filter([](int x) { return x % 2; }))\n'
                  '    std::cout << x; std::cout << "\\n"; }\n')
    (code, message, compiled, exec_info), _ = oioioi_compile(
        sources, 'ranges.cpp', 'system-g++', 'cpp')
    assert code == 'OK', message
    assert run_compiled(sources, compiled, exec_info) == '13\n'


@pytest.mark.parametrize('name,lang', [(name, row[1]) for name, row in NAMES
                                       if row[1] in ('pas', 'py')])
def test_pascal_and_python_names(sources, name, lang):
    sources.write('sum.' + lang, A_PLUS_B[lang])
    (code, message, compiled, exec_info), _ = oioioi_compile(sources, 'sum.' + lang,
                                                             name, lang)
    assert code == 'OK', message
    assert exec_info == {'mode': 'executable' if lang == 'pas' else 'python'}
    assert run_compiled(sources, compiled, exec_info, '20 22\n') == '42\n'


@pytest.mark.parametrize('name', [name for name, row in NAMES if row[1] == 'java'])
def test_java_names_compile_java_8(sources, name):
    sources.write('Lambdas.java', JAVA_8)
    (code, message, compiled, exec_info), _ = oioioi_compile(
        sources, 'Lambdas.java', name, 'java', compilation_time_limit=60000)
    assert code == 'OK', message
    assert exec_info == {'mode': 'java', 'main_class': 'Lambdas'}
    assert run_compiled(sources, compiled, exec_info) == '50\n'


@pytest.mark.parametrize('name,code', [('java1_8', 'CE'), ('system-java', 'OK')])
def test_java1_8_is_java_8_while_system_java_is_the_installed_release(sources, name, code):
    sources.write('Local.java', JAVA_10)
    (got, message, _, _), _ = oioioi_compile(sources, 'Local.java', name, 'java',
                                             compilation_time_limit=60000)
    assert got == code, message


@pytest.mark.parametrize('limit,expected', [(None, 524288), (300000, 300000)])
def test_the_compiler_runs_under_the_memory_limit_524288_kib_by_default(
        sources, limit, expected):
    # gcc's -wrapper runs each of its programs through a shell that prints
    # the address-space limit (KiB) it was given.
    sources.write('empty.c', 'int main(void) { return 0; }\n')
    keys = {'extra_compilation_args': ['-wrapper', '/bin/sh,-c,ulimit -v; exec "$0" "$@"']}
    if limit is not None:
        keys['compilation_mem_limit'] = limit
    (code, message, _, _), _ = oioioi_compile(sources, 'empty.c', 'system-gcc', 'c', **keys)
    assert code == 'OK', message
    printed = message.split()
    assert printed and set(printed) == {str(expected)}, message


def docs_rows():
    """(names, language, options) of the compiler table in the docs."""
    with open(os.path.join(ROOT, 'docs', 'compilers.rst'), encoding='utf-8') as f:
        text = f.read()
    table = text.split('.. compiler-names-start', 1)[1].split('.. compiler-names-end')[0]
    rows, cells = [], None
    for line in table.splitlines():
        if line.startswith('   * - '):
            cells = [line[len('   * - '):].strip()]
            rows.append(cells)
        elif line.startswith('     - ') or line.rstrip() == '     -':
            cells.append(line[len('     -'):].strip())
    return [(tuple(re.findall(r'``([^`]+)``', cells[0])), cells[1], cells[2])
            for cells in rows[1:]]


LANGUAGE_TITLES = {'c': 'C', 'cpp': 'C++', 'pas': 'Pascal', 'java': 'Java',
                   'py': 'Python 3', 'output-only': 'output-only'}


def options_of(row):
    _, lang, standard, optimisation, _ = row
    if lang in ('c', 'cpp'):
        return '``-std=%s %s``' % (standard, optimisation)
    if lang == 'java' and standard:
        return '``--release %s``' % standard
    return 'its defaults'


def test_the_docs_table_is_the_table_of_the_code():
    assert docs_rows() == [(row[4], LANGUAGE_TITLES[row[1]], options_of(row))
                           for row in names.TABLE]
