"""additional_archive: a zip (in OIOIOI, a package's prog/ folder) unpacked
beside the source, safely."""

import os
import subprocess

import pytest

from tests.support import make_zip, oioioi_compile

USES_HEADERS = ('#include <stdio.h>\n#include "oi.h"\n#include "lib/limits.h"\n'
                'int main(void) { printf("%d %d\\n", OI_VALUE, MAX_N); return 0; }\n')
CALLS_LIBRARY = ('#include "library.h"\n'
                 'int main(void) { hello(); return 0; }\n')
LIBRARY = '#include <stdio.h>\nvoid hello(void) { puts("hello from the library"); }\n'


def run_program(path):
    return subprocess.run([path], capture_output=True, text=True, timeout=30,
                          check=True).stdout


@pytest.fixture
def job_dirs(tmp_path, monkeypatch):
    """Jobs make their directories here, so what lands beside them is seen."""
    path = tmp_path / 'jobs'
    path.mkdir()
    monkeypatch.setenv('TMPDIR', str(path))
    return path


def test_headers_of_the_archive_are_found_folders_kept(sources, job_dirs):
    sources.write('ingen.c', USES_HEADERS)
    archive = make_zip(sources.path('prog.zip'), [
        ('oi.h', 'file', '#define OI_VALUE 7\n'),
        ('lib', 'dir', None),
        ('lib/limits.h', 'file', '#define MAX_N 1000\n'),
    ])
    (code, message, compiled, exec_info), _ = oioioi_compile(
        sources, 'ingen.c', 'default-c', 'c', additional_archive=archive)
    assert code == 'OK', message
    assert exec_info == {'mode': 'executable'}
    assert run_program(compiled) == '7 1000\n'
    assert os.listdir(str(job_dirs)) == []  # the job's directory is gone


def test_folders_need_no_entries_of_their_own(sources, job_dirs):
    sources.write('ingen.c', USES_HEADERS)
    archive = make_zip(sources.path('prog.zip'), [
        ('oi.h', 'file', '#define OI_VALUE 1\n'),
        ('lib/limits.h', 'file', '#define MAX_N 2\n'),
    ])
    (code, message, compiled, _), _ = oioioi_compile(
        sources, 'ingen.c', 'system-gcc', 'c', additional_archive=archive)
    assert code == 'OK', message
    assert run_program(compiled) == '1 2\n'


def test_members_outside_are_left_out_and_the_rest_compiles(sources, job_dirs):
    # The original's own case: '../b.txt' is left out, the header is used.
    sources.write('main.c', CALLS_LIBRARY)
    library = sources.write('library.c', LIBRARY)
    absolute = '/sio-test-absolute-%s.txt' % os.urandom(4).hex()
    archive = make_zip(sources.path('library-archive.zip'), [
        ('library.h', 'file', 'void hello(void);\n'),
        ('a.c', 'file', ''),
        ('../b.txt', 'file', 'outside\n'),
        ('lib/../../c.txt', 'file', 'outside\n'),
        (absolute, 'file', 'outside\n'),
    ])
    (code, message, compiled, _), _ = oioioi_compile(
        sources, 'main.c', 'system-c', 'c', additional_sources=library,
        additional_archive=archive)
    assert code == 'OK', message
    assert run_program(compiled) == 'hello from the library\n'
    assert os.listdir(str(job_dirs)) == []
    assert not os.path.exists(absolute)


def test_files_placed_before_are_not_replaced(sources, job_dirs):
    # OIOIOI's prog/ holds the very source being compiled, and maybe stale
    # copies of the headers: what the job placed itself wins.
    sources.write('sumchk.c', USES_HEADERS)
    include = sources.write('inc/oi.h', '#define OI_VALUE 5\n')
    archive = make_zip(sources.path('prog.zip'), [
        ('sumchk.c', 'file', 'this is not C\n'),
        ('oi.h', 'file', '#define OI_VALUE 999\n'),
        ('lib/limits.h', 'file', '#define MAX_N 3\n'),
    ])
    (code, message, compiled, _), _ = oioioi_compile(
        sources, 'sumchk.c', 'system-gcc', 'c', additional_includes=include,
        additional_archive=archive)
    assert code == 'OK', message
    assert run_program(compiled) == '5 3\n'


@pytest.mark.parametrize('kind,payload', [('symlink', '/etc/passwd'),
                                          ('chardev', None)])
def test_links_and_devices_refuse_the_archive(sources, kind, payload):
    sources.write('ingen.c', USES_HEADERS)
    archive = make_zip(sources.path('prog.zip'), [
        ('oi.h', 'file', '#define OI_VALUE 1\n'), ('lib/limits.h', kind, payload)])
    result = sources.compile('ingen.c', additional_archive=archive)
    assert result['result'] == 'FAILURE', result
    assert 'lib/limits.h' in result['exception']
    assert 'additional_archive' in result['exception']


def test_an_archive_of_too_many_members_is_refused(sources):
    sources.write('main.c', 'int main(void) { return 0; }\n')
    archive = make_zip(sources.path('many.zip'), [
        ('f%d.h' % i, 'file', '') for i in range(10001)])
    result = sources.compile('main.c', additional_archive=archive)
    assert result['result'] == 'FAILURE', result
    assert '10001 members' in result['exception']


def test_an_archive_unpacking_to_too_many_bytes_is_refused(sources, job_dirs):
    import zipfile

    sources.write('main.c', 'int main(void) { return 0; }\n')
    path = sources.path('bomb.zip')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        with bomb.open('zeros.h', 'w', force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(257):
                member.write(block)
    assert os.path.getsize(path) < 2 * 1024 * 1024
    result = sources.compile('main.c', additional_archive=path)
    assert result['result'] == 'FAILURE', result
    assert 'more than %d' % (256 * 1024 * 1024) in result['exception']
    assert os.listdir(str(job_dirs)) == []


def test_a_file_that_is_no_zip_fails_naming_the_key(sources):
    sources.write('main.c', 'int main(void) { return 0; }\n')
    not_zip = sources.write('prog.zip', 'plain text\n')
    result = sources.compile('main.c', additional_archive=not_zip)
    assert result['result'] == 'FAILURE', result
    assert 'additional_archive' in result['exception']
    assert 'zip' in result['exception']

