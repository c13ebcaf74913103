"""compile as OIOIOI sends it: a problem package's programs (sinolpack),
output-only submissions."""

import os
import subprocess

import pytest

from tests.support import make_zip, oioioi_compile
from sio.workers import ft, run

# oioioi/sinolpack/package.py: the arguments of a package's C and C++ programs.
C_EXTRA_ARGS = ['-Wall', '-Wno-unused-result', '-Werror']
# A package's ingen: its headers come in prog/ (additional_archive), the
# macro file named in config.yml (extra_compilation_files) as an extra file,
# and config.yml's extra_compilation_args define ELOZIOM.
INGEN = '''#include <cstdio>
#include "oi.h"
#include "gen/seeds.h"
#include "makra.h"
int main() {
#ifdef ELOZIOM
    std::printf("%d %d %d\\n", oi::answer(), SEED, MAKRA);
#endif
    return 0;
}
'''


def put(url, name, path):
    return ft.upload({'filetracker_url': url, 'f': name}, 'f', path)


@pytest.mark.parametrize('prefix', ['default', 'system'])
def test_a_package_program_compiles_from_the_filetracker(sources, filetracker_server,
                                                         prefix):
    url = filetracker_server
    job_dir = '/sinolpack-jobs/%s-%s' % (prefix, os.urandom(4).hex())
    prog = make_zip(sources.path('compilation-dir-archive.zip'), [
        ('oi.h', 'file', 'namespace oi { inline int answer() { return 42; } }\n'),
        ('gen/seeds.h', 'file', '#define SEED 1234\n'),
        ('abcingen.cpp', 'file', 'stale copy, never compiled\n'),
    ])
    sources.write('abcingen.cpp', INGEN)
    sources.write('makra.h', '#define MAKRA 7\n')
    environ = {
        # as SinolPackage._run_compilation_job and add_extra_files build it
        'job_id': 'unpack', 'package_id': 3, 'job_type': 'compile', 'task_priority': 500,
        'filetracker_url': url,
        'source_file': put(url, job_dir + '/abcingen.cpp', sources.path('abcingen.cpp')),
        'out_file': job_dir + '/abcingen.e', 'language': 'cpp',
        'compiler': prefix + '-cpp',
        'additional_archive': put(url, job_dir + '/compilation-dir-archive.zip', prog),
        'extra_compilation_args': C_EXTRA_ARGS + ['-DELOZIOM'],
        'extra_files': {'makra.h': put(url, '/problems/3/makra.h', sources.path('makra.h'))},
    }
    result = run(environ)
    assert result['result'] == 'SUCCESS', result.get('exception')
    # what package.py reads
    assert result.get('result_code', 'CE') == 'OK', result.get('compiler_output', '')
    assert result['out_file'].startswith(job_dir + '/abcingen.e@')
    program = ft.download({'filetracker_url': url, 'f': result['out_file']}, 'f',
                          sources.path('abcingen.e'))
    os.chmod(program, 0o755)
    ran = subprocess.run([program], capture_output=True, text=True, timeout=30, check=True)
    assert ran.stdout == '42 1234 7\n'


def test_a_warning_of_a_package_program_is_a_compilation_error(sources):
    # -Werror, as OIOIOI compiles a package's programs
    sources.write('abcchk.c', 'int main(void) { int unused; return 0; }\n')
    (code, message, _, exec_info), _ = oioioi_compile(
        sources, 'abcchk.c', 'system-c', 'c', extra_compilation_args=C_EXTRA_ARGS)
    assert code == 'CE'
    assert 'unused' in message and exec_info == {}


def test_output_only_needs_no_out_file(sources):
    sources.write('answer.txt', '42\n')
    sources.write('hint.out', '42\n')
    environ = {'job_type': 'compile', 'use_filetracker': False, 'compiler': 'output-only',
               'source_file': sources.path('answer.txt'), 'language': 'txt'}
    result = run(environ)
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK'
    assert result['exec_info'] == {'mode': 'output-only'}
    assert result['out_file'] == sources.path('answer.txt')  # the answer itself
    assert sorted(os.listdir(sources.root)) == ['answer.txt', 'hint.out']
    judged = run({'job_type': 'unsafe-exec', 'use_filetracker': False,
                  'exe_file': result['out_file'], 'exec_info': result['exec_info'],
                  'in_file': sources.write('empty.in', ''), 'check_output': True,
                  'hint_file': sources.path('hint.out'),
                  'out_file': sources.path('judged.out')})
    assert judged['result'] == 'SUCCESS', judged.get('exception')
    assert judged['result_code'] == 'OK', judged.get('result_string')


def test_output_only_with_out_file_stores_a_copy(sources):
    # OIOIOI's handlers always send out_file, and later delete the compiled
    # file: a copy keeps the submission itself out of reach of that.
    sources.write('answer.out', '42\n')
    (code, _, compiled, exec_info), _ = oioioi_compile(
        sources, 'answer.out', 'output-only', 'out')
    assert code == 'OK' and exec_info == {'mode': 'output-only'}
    assert compiled == sources.path('out/exe')
    with open(compiled) as copy, open(sources.path('answer.out')) as original:
        assert copy.read() == original.read() == '42\n'


def test_other_compilers_still_need_out_file(sources):
    sources.write('main.c', 'int main(void) { return 0; }\n')
    result = run({'job_type': 'compile', 'use_filetracker': False, 'compiler': 'system-gcc',
                  'source_file': sources.path('main.c')})
    assert result['result'] == 'FAILURE'
    assert 'out_file' in result['exception']
