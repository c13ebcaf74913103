"""The generator's files and the compiler's reach."""

import json
import os
import stat

import pytest

from sio.workers import run


def test_a_generators_links_fifos_and_set_uid_files_are_not_collected_as_such(
        build_attack, canary, tmp_path):
    planter = build_attack('planter', CANARY=json.dumps(canary))
    collected_dir = tmp_path / 'collected'
    result = run({'job_type': 'ingen', 'exe_file': planter, 're_string': r'gen-.*\.in',
                  'collected_files_path': str(collected_dir)})
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result
    # The link to the canary, the FIFO and the link to /dev/zero are skipped.
    assert sorted(result['collected_files']) == ['gen-plain.in', 'gen-suid.in']
    stored = result['collected_files']['gen-suid.in']
    assert open(stored).read() == 'suid\n'
    assert not os.stat(stored).st_mode & (stat.S_ISUID | stat.S_ISGID)


def test_a_generators_deep_tree_stops_it_and_is_removed(attacks, tmp_path, monkeypatch):
    jobs_dir = tmp_path / 'jobs'
    jobs_dir.mkdir()
    monkeypatch.setenv('TMPDIR', str(jobs_dir))
    result = run({'job_type': 'ingen', 'exe_file': attacks['deeptree'], 're_string': 'x',
                  'collected_files_path': str(tmp_path / 'collected')})
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OLE' and 'nested deeper' in result['result_string']
    assert os.listdir(jobs_dir) == []


@pytest.mark.parametrize('source', [
    '#include "{canary}"\nint main(void) {{ return 0; }}\n',
    'asm(".section .rodata\\n.incbin \\"{canary}\\"\\n.previous");\n'
    'int main(void) {{ return 0; }}\n',
    # The job's own folder, around the compiler's: its output file.
    '#include "../compiler.out"\nint main(void) {{ return 0; }}\n',
])
def test_the_compiler_cannot_read_the_workers_files(canary, tmp_path, source):
    path = tmp_path / 'attack.c'
    path.write_text(source.format(canary=canary))
    result = run({'job_type': 'compile', 'source_file': str(path),
                  'out_file': str(tmp_path / 'attack.bin')})
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'CE'
    secret = open(canary).read().strip()
    assert secret not in result['compiler_output']
    output = result['compiler_output']
    assert any(why in output for why in ('No such file', 'not found', 'Permission denied')), \
        output
