"""exec and compile with a sandbox as the root file system of the run."""

import os
import subprocess

import pytest

from sio.workers import run
from tests.support import make_archive, store

MARKER = 'only-in-the-sandbox'
# The marker file exists only in the sandbox, /etc/passwd only on the machine.
PEEK = r'''
#include <stdio.h>
#include <unistd.h>
int main(void) {
    char text[100] = "none";
    FILE *f = fopen("/marker", "r");
    if (f) { if (!fgets(text, sizeof text, f)) text[0] = 0; fclose(f); }
    printf("marker=%s machine=%d\n", text, access("/etc/passwd", F_OK) == 0);
    return 0;
}
'''
# Writes a recognisable file to the -o path, as a compiler would.
FAKE_COMPILER = r'''
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *out = NULL;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "-o") == 0) out = argv[i + 1];
    if (out == NULL) { fputs("fake compiler: no -o\n", stderr); return 2; }
    FILE *f = fopen(out, "w");
    if (f == NULL) { perror(out); return 3; }
    fputs("built by the sandbox's compiler\n", f);
    fclose(f);
    printf("fake compiler ran; machine files visible: %d\n",
           access("/etc/passwd", F_OK) == 0);
    return 0;
}
'''


def static_binary(directory, name, source):
    path = directory / name
    (directory / (name + '.c')).write_text(source)
    subprocess.run(['gcc', '-static', '-O1', '-o', str(path), str(path) + '.c'],
                   check=True)
    return path.read_bytes()


@pytest.fixture(scope='module')
def binaries(tmp_path_factory):
    directory = tmp_path_factory.mktemp('static-binaries')
    return {'peek': static_binary(directory, 'peek', PEEK),
            'cc': static_binary(directory, 'cc', FAKE_COMPILER)}


def root_box(tmp_path, name, members):
    """A sandbox laid out as a root file system, with its own /tmp (the
    job's directory is usually under /tmp) and the given extra members."""
    base = [(name, 'dir', None, 0o755), (name + '/tmp', 'dir', None, 0o1777),
            (name + '/usr', 'dir', None, 0o755), (name + '/usr/bin', 'dir', None, 0o755),
            (name + '/bin', 'symlink', 'usr/bin', 0o777)]
    archive = tmp_path / ('%s.tar.gz' % name)
    return make_archive(archive, base + [(name + '/' + member, kind, payload, mode)
                                         for member, kind, payload, mode in members])


@pytest.fixture
def box(filetracker_server, tmp_path):
    """A sandbox with the marker file, stored under a name unique to the test."""
    name = 'root-%s' % os.urandom(4).hex()
    store(filetracker_server, name, root_box(tmp_path, name, [
        ('marker', 'file', MARKER, 0o644)]))
    return name


@pytest.fixture
def peek_program(workdir, binaries):
    (workdir / 'peek.e').write_bytes(binaries['peek'])
    (workdir / 'empty.in').write_text('')
    return 'peek.e'


def exec_environ(url, job_type='exec', **keys):
    environ = {'job_type': job_type, 'exe_file': 'peek.e', 'in_file': 'empty.in',
               'out_file': 'peek.out', 'use_filetracker': False, 'filetracker_url': url}
    environ.update(keys)
    return environ


def test_exec_program_sees_the_sandbox_as_its_root(filetracker_server, box, peek_program,
                                                   workdir):
    result = run(exec_environ(filetracker_server, exec_sandbox=box))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result['result_string']
    assert (workdir / 'peek.out').read_text() == 'marker=%s machine=0\n' % MARKER


@pytest.mark.parametrize('job_type', ['exec', 'cpu-exec'])
def test_exec_without_a_sandbox_sees_the_machine(filetracker_server, peek_program,
                                                 workdir, job_type):
    result = run(exec_environ(filetracker_server, job_type))
    assert result['result_code'] == 'OK', result.get('exception')
    assert (workdir / 'peek.out').read_text() == 'marker=none machine=1\n'


def test_cpu_exec_uses_the_sandbox_too(filetracker_server, box, peek_program, workdir):
    result = run(exec_environ(filetracker_server, 'cpu-exec', exec_sandbox=box))
    assert result['result_code'] == 'OK', result.get('exception')
    assert (workdir / 'peek.out').read_text() == 'marker=%s machine=0\n' % MARKER


def test_exec_checks_output_with_a_sandbox(filetracker_server, box, peek_program, workdir):
    (workdir / 'peek.hint').write_text('marker=%s   machine=0\n' % MARKER)
    result = run(exec_environ(filetracker_server, exec_sandbox=box, check_output=True,
                              hint_file='peek.hint'))
    assert result['result_code'] == 'OK', result.get('exception')
    assert tuple(result['result_percentage']) == (100, 1)


def test_unsafe_exec_with_a_sandbox_is_a_failure(filetracker_server, box, peek_program,
                                                 workdir):
    result = run(exec_environ(filetracker_server, 'unsafe-exec', exec_sandbox=box))
    assert result['result'] == 'FAILURE'
    assert "'exec_sandbox'" in result['exception']
    assert 'isolated' in result['exception']
    assert not (workdir / 'peek.out').exists()


def test_exec_with_an_unknown_sandbox_names_it(filetracker_server, peek_program, workdir):
    result = run(exec_environ(filetracker_server, exec_sandbox='no-such-box'))
    assert result['result'] == 'FAILURE'
    assert "'exec_sandbox'" in result['exception']
    assert "'no-such-box'" in result['exception']
    assert 'not stored' in result['exception']


@pytest.mark.parametrize('value', ['../up', 17])
def test_exec_with_a_bad_sandbox_name_names_the_key(filetracker_server, peek_program,
                                                    value):
    result = run(exec_environ(filetracker_server, exec_sandbox=value))
    assert result['result'] == 'FAILURE'
    assert "'exec_sandbox'" in result['exception']


@pytest.fixture
def fake_compiler_box(filetracker_server, tmp_path, binaries):
    """A sandbox whose /usr/bin/gcc is the fake compiler."""
    def make(name):
        store(filetracker_server, name, root_box(tmp_path, name, [
            ('usr/bin/gcc', 'file', binaries['cc'], 0o755)]))
        return name
    return make


def compile_environ(url, **keys):
    environ = {'job_type': 'compile', 'source_file': 'prog.c', 'out_file': 'prog.e',
               'use_filetracker': False, 'filetracker_url': url}
    environ.update(keys)
    return environ


@pytest.fixture
def source(workdir):
    (workdir / 'prog.c').write_text('int main(void) { return 0; }\n')
    return 'prog.c'


def test_compile_runs_the_compiler_of_the_sandbox(filetracker_server, fake_compiler_box,
                                                  source, workdir):
    name = fake_compiler_box('cc-%s' % os.urandom(4).hex())
    result = run(compile_environ(filetracker_server, compilation_sandbox=name))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result['compiler_output']
    assert (workdir / 'prog.e').read_text() == "built by the sandbox's compiler\n"
    assert result['compiler_output'] == \
        'fake compiler ran; machine files visible: 0\n'


def test_compile_without_a_sandbox_uses_the_machines_compiler(source, workdir):
    result = run(compile_environ(None))
    assert result['result_code'] == 'OK', result.get('exception')
    assert (workdir / 'prog.e').read_bytes().startswith(b'\x7fELF')


def test_compiler_from_a_plugin_brings_its_sandbox(filetracker_server, fake_compiler_box,
                                                   source, workdir):
    # The plugin's compiler names the sandbox 'test-shipped-cc' itself.
    fake_compiler_box('test-shipped-cc')
    result = run(compile_environ(filetracker_server, compiler='test-shipped-cc'))
    assert result['result_code'] == 'OK', result.get('exception')
    assert (workdir / 'prog.e').read_text() == "built by the sandbox's compiler\n"


def test_compile_with_an_unknown_sandbox_names_it(filetracker_server, source, workdir):
    result = run(compile_environ(filetracker_server, compilation_sandbox='no-such-cc'))
    assert result['result'] == 'FAILURE'
    assert "'compilation_sandbox'" in result['exception']
    assert "'no-such-cc'" in result['exception']
    assert not (workdir / 'prog.e').exists()


def test_compile_with_a_sandbox_without_the_compiler_names_both(filetracker_server, box,
                                                                 source, workdir):
    result = run(compile_environ(filetracker_server, compilation_sandbox=box))
    assert result['result'] == 'FAILURE'
    assert "'gcc'" in result['exception'] and repr(box) in result['exception']
    assert not (workdir / 'prog.e').exists()
