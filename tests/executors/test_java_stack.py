"""A Java program's thread stack is sized from its memory limit, as in the
original sioworkers: deep recursion within the limit is OK, and deeper is
MLE."""

import pytest

from sio.workers import run

DEEP = """
public class Deep {
    static long down(long n) { return n == 0 ? 0 : 1 + down(n - 1); }
    public static void main(String[] args) { System.out.println(down(3000000)); }
}
"""


@pytest.fixture(scope='module')
def deep(tmp_path_factory):
    """The program, compiled by the compile job: (jar, exec_info, empty input)."""
    out = tmp_path_factory.mktemp('deep')
    (out / 'Deep.java').write_text(DEEP)
    (out / 'in').write_text('')
    compiled = run({'job_type': 'compile', 'use_filetracker': False,
                    'source_file': str(out / 'Deep.java'),
                    'out_file': str(out / 'deep.jar')})
    assert compiled['result_code'] == 'OK', compiled.get('compiler_output')
    return str(out / 'deep.jar'), compiled['exec_info'], str(out / 'in')


def test_recursion_far_deeper_than_a_default_java_stack_is_ok(deep, tmp_path):
    jar, exec_info, empty = deep
    result = run({'job_type': 'exec', 'use_filetracker': False,
                  'exe_file': jar, 'exec_info': exec_info,
                  'in_file': empty, 'out_file': str(tmp_path / 'out'),
                  'exec_mem_limit': 262144, 'exec_time_limit': 10000})
    assert result['result_code'] == 'OK', result['result_string']
    assert (tmp_path / 'out').read_text() == '3000000\n'


def test_recursion_deeper_than_the_memory_limit_is_mle(deep):
    jar, exec_info, empty = deep
    # Three million frames do not fit a stack of 16 MiB: StackOverflowError.
    result = run({'job_type': 'exec', 'use_filetracker': False,
                  'exe_file': jar, 'exec_info': exec_info,
                  'in_file': empty, 'exec_mem_limit': 16384,
                  'exec_time_limit': 10000})
    assert result['result_code'] == 'MLE', result['result_string']
