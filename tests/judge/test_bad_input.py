"""sio-judge on archives, and on what is no usable package."""

import os
import tarfile
import zipfile

from tests.judge.packages import MODEL, WRONG, judged, make_package, sio_judge


def _zip_directory(root, path):
    with zipfile.ZipFile(path, 'w') as archive:
        for directory, _, names in os.walk(root):
            for name in names:
                full = os.path.join(directory, name)
                archive.write(full, os.path.relpath(full, os.path.dirname(root)))
    return str(path)


def _one_line_error(out, *words):
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.startswith('sio-judge: error: '), out.stderr
    assert len(out.stderr.splitlines()) == 1, out.stderr
    assert 'Traceback' not in out.stderr
    for word in words:
        assert word in out.stderr


def test_a_zip_archive_is_judged_as_its_directory(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL, 'abcb1.c': WRONG})
    status, report = judged(_zip_directory(root, tmp_path / 'abc.zip'))
    assert status == 0
    assert [s['points'] for s in report['solutions']] == [100, 60]


def test_a_tgz_archive_without_a_top_directory_is_judged(tmp_path):
    root = make_package(tmp_path / 'abc', {'abc.c': MODEL})
    path = str(tmp_path / 'abc.tgz')
    with tarfile.open(path, 'w:gz') as archive:  # as tar -C abc -czf abc.tgz . makes it
        archive.add(root, '.')
    status, report = judged(path)
    assert status == 0 and report['solutions'][0]['points'] == 100


def test_archive_members_outside_the_package_or_links_are_refused(tmp_path):
    escaping = str(tmp_path / 'escaping.zip')
    with zipfile.ZipFile(escaping, 'w') as archive:
        archive.writestr('config.yml', 'title: x\n')
        archive.writestr('../outside.txt', 'no')
    _one_line_error(sio_judge(escaping), 'outside the package')
    linked = str(tmp_path / 'linked.tgz')
    os.symlink('/etc/passwd', str(tmp_path / 'link'))
    with tarfile.open(linked, 'w:gz') as archive:
        archive.add(str(tmp_path / 'link'), 'abc/config.yml')
    _one_line_error(sio_judge(linked), 'not a regular file')
    assert not os.path.exists(str(tmp_path / 'outside.txt'))


def test_a_directory_without_config_is_no_package(tmp_path):
    _one_line_error(sio_judge(tmp_path), 'is not a sinol package', 'config.yml')
    _one_line_error(sio_judge(tmp_path / 'nothing'), 'no such directory')
    broken = tmp_path / 'broken.zip'
    broken.write_bytes(b'not a zip')
    _one_line_error(sio_judge(broken), 'not a readable archive')


def test_a_solution_in_an_unknown_language_is_refused(tmp_path):
    root = make_package(tmp_path / 'abc')
    with open(os.path.join(root, 'prog', 'abc1.rb'), 'w') as f:
        f.write('puts gets.split.map(&:to_i).sum\n')
    _one_line_error(sio_judge(root, 'abc1.rb'), "no compiler for the language 'rb'")
    _one_line_error(sio_judge(root, 'abc9.c'), 'no solution abc9.c')


def test_a_package_without_limits_or_tests_is_unusable(tmp_path):
    root = make_package(tmp_path / 'abc', config='sinol_task_id: abc\n')
    _one_line_error(sio_judge(root), 'no time limit')
    empty = make_package(tmp_path / 'empty', tests={})
    _one_line_error(sio_judge(empty), 'has no tests')
    _one_line_error(sio_judge(root, '-j', 'many'), '-j/--jobs')
