"""Verdicts a contestant can trust, the same in every exec job: a stack as
large as the memory limit, MLE for every way of asking for more memory
than the limit (and only then), memory measured as touched, and the
wall-clock time a run took."""

import os
import subprocess

import pytest

from sio.workers import run

JOB_TYPES = ['exec', 'cpu-exec', 'sio2jail-exec', 'unsafe-exec']
MIB = 1024  # in KiB, the unit of exec_mem_limit and mem_used
PAGE_KIB = os.sysconf('SC_PAGE_SIZE') // 1024

VECTOR = r'''
#include <cstdio>
#include <cstdlib>
#include <vector>
// A vector of argv[1] MiB: under a smaller limit, new throws std::bad_alloc,
// nobody catches it, and the program ends with SIGABRT.
int main(int argc, char **argv) {
    std::vector<char> v(std::atol(argv[1]) << 20, 1);
    std::printf("%d\n", v[v.size() / 2]);
}
'''
THREADS = r'''
#include <cstdio>
#include <thread>
#include <vector>
// Four threads with the default stack size, under a memory limit.
int main() {
    std::vector<std::thread> threads;
    int sums[4] = {0};
    for (int i = 0; i < 4; i++)
        threads.emplace_back([&sums, i] { sums[i] = i * 2; });
    for (auto &t : threads)
        t.join();
    std::printf("%d\n", sums[0] + sums[1] + sums[2] + sums[3]);
}
'''
JAVA_ARRAY = '''
public class Hoard {
    public static void main(String[] args) {
        long[] hoard = new long[Integer.parseInt(args[0]) * 131072];
        hoard[hoard.length - 1] = 1;
        System.out.println(hoard[hoard.length - 1]);
    }
}
'''


def judge(job_type, exe, in_file, limit_kib, *args, **keys):
    environ = dict(job_type=job_type, exe_file=exe, in_file=in_file,
                   exec_mem_limit=limit_kib, exec_time_limit=10000, **keys)
    if args:
        environ['extra_execution_args'] = [str(a) for a in args]
    result = run(environ)
    assert result['result'] == 'SUCCESS', result.get('exception')
    return result


@pytest.fixture
def empty(files):
    return files(empty='')['empty']


@pytest.fixture(scope='module')
def cpp(tmp_path_factory):
    """C++ sources compiled with g++; name -> program."""
    out = tmp_path_factory.mktemp('cpp')
    built = {}
    for name, source in (('vector', VECTOR), ('threads', THREADS)):
        (out / (name + '.cpp')).write_text(source)
        subprocess.run(['g++', '-O2', '-pthread', '-o', str(out / name),
                        str(out / (name + '.cpp'))], check=True)
        built[name] = str(out / name)
    return built


@pytest.fixture(scope='module')
def hoard_jar(tmp_path_factory):
    """The Java program, compiled by the compile job: (jar, exec_info)."""
    out = tmp_path_factory.mktemp('java')
    (out / 'Hoard.java').write_text(JAVA_ARRAY)
    compiled = run({'job_type': 'compile', 'use_filetracker': False,
                    'source_file': str(out / 'Hoard.java'),
                    'out_file': str(out / 'hoard.jar')})
    assert compiled['result_code'] == 'OK', compiled.get('compiler_output')
    return str(out / 'hoard.jar'), compiled['exec_info']


def assert_mle(result, limit_kib):
    assert (result['result_code'], result['result_string']) == \
        ('MLE', 'memory limit exceeded'), result
    assert result['mem_used'] <= limit_kib + PAGE_KIB, result


@pytest.mark.parametrize('job_type', JOB_TYPES)
@pytest.mark.parametrize('limit_kib', [36 * MIB, 256 * MIB])
def test_recursion_30_mib_deep_is_ok(programs, empty, job_type, limit_kib):
    result = judge(job_type, programs['deep'], empty, limit_kib, 30)
    assert result['result_code'] == 'OK', result
    assert 30 * MIB <= result['mem_used'] <= 36 * MIB


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_recursion_20_mib_deep_under_16_mib_is_mle(programs, empty, job_type):
    assert_mle(judge(job_type, programs['deep'], empty, 16 * MIB, 20), 16 * MIB)


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_stack_past_the_limit_in_large_frames_is_mle(programs, empty, job_type):
    # Frames of 64 KiB: the stack grows by sixteen pages at a time.
    assert_mle(judge(job_type, programs['deep'], empty, 16 * MIB, 20, 64), 16 * MIB)
    within = judge(job_type, programs['deep'], empty, 16 * MIB, 10, 64)
    assert within['result_code'] == 'OK', within


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_failed_malloc_then_used_is_mle(programs, empty, job_type):
    assert_mle(judge(job_type, programs['grab'], empty, 64 * MIB, 200), 64 * MIB)


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_512_mib_vector_is_mle(cpp, empty, job_type):
    assert_mle(judge(job_type, cpp['vector'], empty, 256 * MIB, 512), 256 * MIB)


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_100_mib_static_array_is_mle(programs, empty, job_type):
    assert_mle(judge(job_type, programs['bss100'], empty, 64 * MIB), 64 * MIB)
    fits = judge(job_type, programs['bss100'], empty, 128 * MIB)
    assert fits['result_code'] == 'OK', fits


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_running_out_in_small_pieces_is_mle(programs, empty, job_type):
    result = judge(job_type, programs['crumbs'], empty, 16 * MIB, 100)
    assert_mle(result, 16 * MIB)


@pytest.mark.parametrize('job_type', JOB_TYPES)
@pytest.mark.parametrize('mib', [8, 32, 100])
def test_touching_n_mib_under_2n_is_ok_and_measured(programs, empty, job_type, mib):
    result = judge(job_type, programs['touch'], empty, 2 * mib * MIB, mib)
    assert result['result_code'] == 'OK', result
    assert mib * MIB <= result['mem_used'] <= mib * MIB + 4096, result


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_threads_have_room_under_a_memory_limit(cpp, empty, job_type, tmp_path):
    out = str(tmp_path / 'threads_out')
    result = judge(job_type, cpp['threads'], empty, 64 * MIB, out_file=out)
    assert result['result_code'] == 'OK', result
    assert open(out).read() == '12\n'


@pytest.mark.parametrize('job_type', ['exec', 'unsafe-exec'])
def test_a_large_heap_mapping_still_fits_a_large_limit(programs, empty, job_type):
    # The stack, unlimited but for the address space, leaves the heap its room.
    result = judge(job_type, programs['vast'], empty, 3 * 1024 * MIB, 2500)
    assert result['result_code'] == 'OK', result


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_java_array_past_the_limit_is_mle(hoard_jar, empty, job_type):
    jar, exec_info = hoard_jar
    over = judge(job_type, jar, empty, 64 * MIB, 100, exec_info=exec_info)
    assert over['result_code'] == 'MLE', over
    within = judge(job_type, jar, empty, 256 * MIB, 100, exec_info=exec_info)
    assert within['result_code'] == 'OK', within


@pytest.mark.parametrize('job_type', JOB_TYPES)
def test_sleeping_300_ms_is_300_ms_of_real_time_and_no_cpu(programs, empty, job_type):
    result = judge(job_type, programs['nap'], empty, 64 * MIB)
    assert result['result_code'] == 'OK', result
    assert 300 <= result['real_time_used'] <= 400, result
    assert result['time_used'] <= 20, result
