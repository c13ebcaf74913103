"""The security tests with a worker that is an ordinary user.

Run as root (as CI runs), the suite runs the security tests again as the
system user :data:`TEST_USER`, whose subordinate ids 62000-62999 are the
slots of that run; ``scripts/setup.sh --dev`` run as root makes it.  Run
as an ordinary user, the security tests beside this module run directly
as that user, through its user namespace: the slot range
(``SIO_SLOT_FIRST_UID``, ``SIO_SLOT_COUNT``) must then be among its
subordinate ids in ``/etc/subuid`` and ``/etc/subgid``.  See "Running the
worker as an ordinary user" in the security model.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree

import pytest

from sio.workers import run
from sio.workers.defaults import cache_dir
from sio.workers.exceptions import Failure
from sio.workers.process import Isolation, Limits, run_program, slots, userns
from sio.workers.untrusted import (Box, UnsafeFile, list_names, read_bytes, remove_tree,
                                   tree_size)

from . import another_user

TEST_USER = 'sio-test-worker'
FIRST_UID, COUNT = 62000, 1000
#: At least this many tests run as the ordinary user (all of tests/security).
MIN_TESTS = 80
SETUP_HINT = ('run scripts/setup.sh --dev as root: it adds that user and its subordinate '
              'ids %d-%d' % (FIRST_UID, FIRST_UID + COUNT - 1))


def _user_or_fail():
    try:
        return pwd.getpwnam(TEST_USER)
    except KeyError:
        pytest.fail('the security tests also run as an ordinary user, the system user %s, '
                    'which this machine does not have: %s' % (TEST_USER, SETUP_HINT))


def _inner_env(folder, env):
    """The whole environment of the run as the test user."""
    env = dict(env, HOME=os.path.join(folder, 'home'), TMPDIR=os.path.join(folder, 'tmp'),
               SIO_CACHE_DIR=os.path.join(folder, 'cache'),
               SIO_SLOT_LOCK_DIR=os.path.join(folder, 'locks', 'slots'),
               SIO_SLOT_FIRST_UID=str(FIRST_UID), SIO_SLOT_COUNT=str(COUNT),
               LANG='C.UTF-8')
    return ['%s=%s' % item for item in sorted(env.items())]


def _run_as_test_user(user, folder):
    """The security tests run as ``user`` in ``folder``; (completed, the
    JUnit report's counts)."""
    python, src, env = another_user.lay_out(folder)
    for name in ('home', 'tmp', 'cache', 'locks'):
        os.mkdir(os.path.join(folder, name), 0o700)
        os.chown(os.path.join(folder, name), user.pw_uid, user.pw_gid)
    report = os.path.join(folder, 'tmp', 'report.xml')
    runuser = shutil.which('runuser') or pytest.fail('runuser (util-linux) is missing')
    completed = subprocess.run(
        [runuser, '-u', TEST_USER, '--', '/usr/bin/env', '-i'] + _inner_env(folder, env)
        + [python, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '-ra',
           '--basetemp', os.path.join(folder, 'tmp', 'basetemp'), '--junitxml', report,
           'tests/security'],
        cwd=src, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=540)
    counts = {}
    if os.path.exists(report):
        suite = ElementTree.parse(report).getroot()
        suite = suite if suite.tag == 'testsuite' else suite.find('testsuite')
        counts = {k: int(suite.get(k, 0)) for k in ('tests', 'failures', 'errors',
                                                     'skipped')}
    return completed, counts


def test_the_security_tests_pass_with_an_ordinary_user_as_the_worker():
    if os.geteuid() != 0:
        # This suite is an ordinary user's: the security tests beside this
        # one ran as that user, each isolated run through its namespace.
        try:
            slots.check_subordinate()
        except Failure as e:
            pytest.fail('the security tests run as this ordinary user, whose subordinate '
                        'ids must hold the slots: %s' % e)
        assert userns.needed() and userns.fd() >= 0
        return
    user = _user_or_fail()
    folder = tempfile.mkdtemp(prefix='sio-unprivileged-')
    try:
        os.chmod(folder, 0o755)
        completed, counts = _run_as_test_user(user, folder)
    finally:
        remove_tree(folder)
    tail = '\n'.join(completed.stdout.splitlines()[-40:])
    assert completed.returncode == 0, tail
    assert counts.get('tests', 0) >= MIN_TESTS, (counts, tail)
    assert counts['failures'] == counts['errors'] == counts['skipped'] == 0, (counts, tail)
    print('%d security tests passed as the ordinary user %s' % (counts['tests'], TEST_USER))


ADD_AND_SAY_WHO = (b'#include <stdio.h>\n#include <unistd.h>\n'
                   b'int main(void) { long a, b; if (scanf("%ld %ld", &a, &b) != 2) return 1;\n'
                   b'  printf("%ld %d\\n", a + b, (int)getuid()); return 0; }\n')


def test_a_compile_and_an_exec_job_end_to_end(tmp_path):
    """Both isolated, as root or as an ordinary user: the program runs as
    a slot user, never as the worker's."""
    (tmp_path / 'add.c').write_bytes(ADD_AND_SAY_WHO)
    compiled = run({'job_type': 'compile', 'source_file': str(tmp_path / 'add.c'),
                    'out_file': str(tmp_path / 'add.bin')})
    assert compiled['result'] == 'SUCCESS', compiled.get('exception')
    assert compiled['result_code'] == 'OK', compiled['compiler_output']
    (tmp_path / 'in').write_text('20 22\n')
    ran = run({'job_type': 'exec', 'exe_file': str(tmp_path / 'add.bin'),
               'exec_info': compiled['exec_info'], 'in_file': str(tmp_path / 'in'),
               'out_file': str(tmp_path / 'out')})
    assert ran['result'] == 'SUCCESS', ran.get('exception')
    assert ran['result_code'] == 'OK', ran
    total, uid = (tmp_path / 'out').read_text().split()
    assert total == '42'
    assert int(uid) in slots.uid_range() and int(uid) not in (0, os.getuid())
    assert sorted(os.listdir(tmp_path)) == ['add.bin', 'add.c', 'in', 'out']


def _sub_files(tmp_path, subuid, subgid):
    (tmp_path / 'subuid').write_text(subuid)
    (tmp_path / 'subgid').write_text(subgid)
    return str(tmp_path / 'subuid'), str(tmp_path / 'subgid')


def test_slots_outside_the_subordinate_ids_are_one_clear_line(tmp_path, monkeypatch):
    files = _sub_files(tmp_path, 'worker:62000:500\n1500:62500:500\nother:70000:10\n',
                       'worker:62000:100\n')
    monkeypatch.setattr(slots, 'SUBUID_FILE', files[0])
    monkeypatch.setattr(slots, 'SUBGID_FILE', files[1])
    ids = range(62000, 63000)
    # The uids, given in two lines, hold all 1000; the gids only 100.
    slots.check_ranges(range(62000, 62100), 'worker', 1500, 1500)
    with pytest.raises(Failure) as raised:
        slots.check_ranges(ids, 'worker', 1500, 1500)
    message = str(raised.value)
    assert '\n' not in message
    for words in ('subordinate gids', '"worker:62000:1000"', files[1],
                  'usermod --add-subgids 62000-62999 worker', 'SIO_SLOT_FIRST_UID',
                  'SIO_SLOT_COUNT', 'it has: 62000 to 62099'):
        assert words in message, message
    with pytest.raises(Failure, match='own uid 62007'):
        slots.check_ranges(ids, 'worker', 62007, 1500)


def test_without_newuidmap_the_failure_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(userns, '_TOOL_PATH', str(tmp_path))
    with pytest.raises(Failure, match="Debian package 'uidmap'"):
        userns._tool('newuidmap')


def test_the_default_lock_dir_is_one_the_worker_can_use(monkeypatch):
    monkeypatch.delenv('SIO_SLOT_LOCK_DIR', raising=False)
    directory = slots.lock_dir()
    if os.geteuid() == 0:
        assert directory == slots.MACHINE_LOCK_DIR
    else:
        assert directory in (slots.MACHINE_LOCK_DIR, os.path.join(cache_dir(), 'slots'))
        if directory == slots.MACHINE_LOCK_DIR:
            assert slots._may_write(directory)


SHUT_AWAY = ('import os\n'
             'os.mkdir("shut")\n'
             'with open("shut/made", "w") as f:\n'
             '    f.write("made by %d\\n" % os.getuid())\n'
             'os.chmod("shut/made", 0)\n'
             'os.chmod("shut", 0)\n'
             'os.chmod(".", 0)\n')


def test_what_a_program_shut_away_is_read_and_removed_all_the_same(tmp_path):
    """A slot's files of mode 0 in folders of mode 0: the worker reads
    them (as root of its user namespace when it is not root) and removes
    them with the box."""
    script = tmp_path / 'shut.py'
    script.write_text(SHUT_AWAY)
    with Box(str(tmp_path), 'box') as box:
        box.reopen()
        result = run_program(['python3', '-S', str(script)], cwd=box.path,
                             limits=Limits(cpu_ms=5000, wall_ms=20000, memory_kib=262144),
                             isolation=Isolation(readonly=(str(script),), slot=box.slot))
        assert result.ok, result
        assert read_bytes(box.path, 'shut/made', 100) == b'made by %d\n' % box.slot.uid
        assert list_names(box.path) == ['shut']
        assert tree_size(box.path, 4) == len(b'made by %d\n' % box.slot.uid)
        with pytest.raises(UnsafeFile, match='does not exist'):
            read_bytes(box.path, 'shut/missing', 100)
    assert sorted(os.listdir(tmp_path)) == ['shut.py']


def test_a_helpers_answer_and_exception_come_back_as_they_were():
    assert userns.call(os.getpid) != os.getpid() or not userns.needed()
    assert userns.call(sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(UnsafeFile) as raised:
        userns.call(_unsafe)
    assert (raised.value.name, raised.value.why) == ('x', 'is bad')


def _unsafe():
    raise UnsafeFile('x', 'is bad')
