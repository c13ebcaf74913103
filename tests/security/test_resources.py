"""Resources nobody counted: shared memory, memfds, threads, processes,
the working directory, and the supervisor killed."""

import pytest

from .attacking import MODES, WORKER_IS_ROOT
from sio.workers.process.limits import MAX_TASKS

MIB = 1024 * 1024


@pytest.mark.parametrize('mode', MODES)
def test_memory_outside_the_address_space_cannot_be_made(attack, mode):
    keys = dict(exec_mem_limit=65536, exec_out_limit=512 * MIB, exec_dir_size_limit=8 * MIB)
    if mode == 'checker':
        keys = {}
    found = attack('memory', mode, **keys)
    for kind in ('shm', 'memfd', 'sysv', 'mqueue'):
        assert found[kind] == 'refused', found.findings
    # Files in its working directory stop at the directory's bound, in
    # bytes and, where the worker is root, in number (one file per 4 KiB
    # of it); else all the attack's 100000 empty files are made.
    dir_mib = 8 if mode != 'checker' else 16
    assert 0 <= int(found['dir-mib']) <= dir_mib, found.findings
    if WORKER_IS_ROOT:
        assert 0 < int(found['files']) <= dir_mib * 256, found.findings
    else:
        assert int(found['files']) == 100000, found.findings


@pytest.mark.parametrize('mode', MODES)
def test_no_namespace_or_tmpfs_of_its_own(attack, mode):
    found = attack('userns', mode)
    assert found['unshare'] == 'refused' and found['mount'] == 'refused'


@pytest.mark.parametrize('mode', MODES)
def test_threads_made_by_raw_clone_are_bounded(attack, mode):
    found = attack('threads', mode)
    assert 0 < int(found['threads']) < MAX_TASKS, found.findings


def test_a_checkers_processes_are_bounded(attack):
    found = attack('forker', 'checker')
    assert 0 < int(found['processes']) < MAX_TASKS, found.findings


@pytest.mark.parametrize('mode', ['exec', 'cpu-exec'])
def test_a_solutions_fork_is_a_rule_violation(attacks, tmp_path, mode):
    from sio.workers import run

    (tmp_path / 'in').write_text('\n')
    result = run(dict(job_type=mode, exe_file=attacks['forker'],
                      in_file=str(tmp_path / 'in')))
    assert (result['result'], result['result_code']) == ('SUCCESS', 'RV')


@pytest.mark.parametrize('mode', MODES)
def test_killing_every_process_in_sight_still_ends_with_a_verdict(attack, mode):
    found = attack('killer', mode)
    assert int(found['killer-seen']) >= 1
    assert found.environ['result_code'] in ('OK', 'WA', 'RE')
