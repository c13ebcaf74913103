"""sio-compile SOURCE OUTPUT [EXT], through the installed command."""

import json
import subprocess

import pytest

from tests.support import A_PLUS_B, tool


def sio_compile(*args, cwd=None):
    return subprocess.run([tool('sio-compile')] + list(args), capture_output=True,
                          text=True, timeout=120, cwd=cwd, stdin=subprocess.DEVNULL)


def test_compiles_and_prints_exec_info(sources):
    sources.write('sum.c', A_PLUS_B['c'])
    out = sio_compile('sum.c', 'sum', cwd=sources.root)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {'mode': 'executable'}
    ran = subprocess.run([sources.path('sum')], input='1 2\n', capture_output=True,
                         text=True, timeout=30)
    assert ran.stdout == '3\n'


def test_language_argument_chooses_the_compiler(sources):
    sources.write('sum.txt', A_PLUS_B['py'])
    out = sio_compile(sources.path('sum.txt'), sources.path('sum.py.out'), 'py')
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {'mode': 'python'}


def test_compiler_name_as_the_third_argument(sources):
    sources.write('answer', '42\n')
    out = sio_compile(sources.path('answer'), sources.path('stored'), 'output-only')
    assert out.returncode == 0, out.stderr


def test_compilation_error_exits_1_with_the_compiler_output(sources):
    sources.write('bad.c', 'int main(void) { return 0 }\n')
    out = sio_compile(sources.path('bad.c'), sources.path('bad'))
    assert out.returncode == 1
    assert 'error' in out.stderr and out.stdout == ''
    assert not sources.exists('bad')


@pytest.mark.parametrize('args', [[], ['only-one'], ['a', 'b', 'c', 'd'], ['--bogus', 'a']])
def test_unusable_arguments_give_one_line_and_status_2(args):
    out = sio_compile(*args)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and 'Traceback' not in out.stderr


def test_unknown_language_is_one_line_naming_it(sources):
    sources.write('sum.c', A_PLUS_B['c'])
    out = sio_compile(sources.path('sum.c'), sources.path('sum'), 'cobol')
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and 'cobol' in out.stderr


def test_help(sources):
    out = sio_compile('--help')
    assert out.returncode == 0 and 'SOURCE OUTPUT [EXT]' in out.stdout
