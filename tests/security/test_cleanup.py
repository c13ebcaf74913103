"""What a program leaves behind, and limits no machine can hold."""

import math
import os

import pytest

from .attacking import MODES, WORKER_IS_ROOT
from sio.workers import run


@pytest.mark.parametrize('mode', MODES)
def test_a_deep_tree_is_removed(attack, mode, tmp_path, monkeypatch):
    jobs_dir = tmp_path / 'jobs'
    jobs_dir.mkdir()
    monkeypatch.setenv('TMPDIR', str(jobs_dir))
    found = attack('deeptree', mode)
    # A checker's directory (16 MiB) holds 4096 files or folders at most,
    # where the worker is root; else it is bounded in bytes only.
    bounded = mode == 'checker' and WORKER_IS_ROOT
    assert found['depth'] == ('4081' if bounded else '5000'), found.findings
    assert os.listdir(jobs_dir) == []


@pytest.mark.parametrize('value', [2 ** 63, 10 ** 400, math.nan, math.inf, -math.inf,
                                   1e300, 2 ** 40 + 1])
@pytest.mark.parametrize('key', ['exec_time_limit', 'exec_mem_limit', 'exec_out_limit',
                                 'exec_real_time_limit'])
def test_limits_out_of_range_are_a_failure_naming_the_key(attacks, tmp_path, key, value):
    (tmp_path / 'in').write_text('\n')
    result = run({'job_type': 'exec', 'exe_file': attacks['answer'],
                  'in_file': str(tmp_path / 'in'), key: value})
    assert result['result'] == 'FAILURE'
    assert repr(key) in result['exception'], result['exception']
    assert len(result['exception']) < 300
