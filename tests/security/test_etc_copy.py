"""The sandbox's /etc: a read-only copy of the few entries programs need."""

import os

from sio.workers.process import Isolation, Limits, _etc, run_program

LIST_ETC = ('import os, sys\n'
            'print(" ".join(sorted(os.listdir("/etc"))))\n'
            'try:\n'
            '    open("/etc/passwd", "a")\n'
            '    print("writable")\n'
            'except OSError as e:\n'
            '    print("refused", e.errno)\n')


def test_programs_see_only_the_copied_entries_read_only(tmp_path, monkeypatch):
    monkeypatch.setenv('SIO_SLOT_LOCK_DIR', str(tmp_path / 'locks' / 'slots'))
    monkeypatch.setattr(_etc, '_current', None)
    script = tmp_path / 'list_etc.py'
    script.write_text(LIST_ETC)
    out = tmp_path / 'out'
    result = run_program(['python3', '-S', str(script)], cwd=str(tmp_path), stdout=str(out),
                         limits=Limits(cpu_ms=5000, wall_ms=20000, memory_kib=262144),
                         isolation=Isolation(scratch_bytes=1 << 20, readonly=(str(script),)))
    assert result.ok, result
    names, verdict = out.read_text().splitlines()
    names = names.split()
    assert 'passwd' in names and 'ld.so.cache' in names
    assert 'shadow' not in names and 'ssh' not in names
    assert verdict.startswith('refused')
    copies = [n for n in os.listdir(tmp_path / 'locks') if n.startswith('etc-')]
    assert len(copies) == 1
    assert os.stat(tmp_path / 'locks' / copies[0]).st_uid == os.geteuid()


def _fake_etc(folder, text):
    folder.mkdir(exist_ok=True)
    (folder / 'conf').write_text(text)
    return [str(folder / 'conf')]


def test_a_changed_source_makes_a_new_copy_and_the_stale_one_goes(tmp_path, monkeypatch):
    base = tmp_path / 'base'
    sources = _fake_etc(tmp_path / 'etc', 'one\n')
    first = _etc._build(str(base), 'etc-' + _etc._digest(sources), sources)
    assert _etc._build(str(base), 'etc-' + _etc._digest(sources), sources) == first
    sources = _fake_etc(tmp_path / 'etc', 'two, longer\n')
    monkeypatch.setattr(_etc, 'STALE_SECONDS', -1.0)
    second = _etc._build(str(base), 'etc-' + _etc._digest(sources), sources)
    assert second != first
    assert open(os.path.join(second, 'conf')).read() == 'two, longer\n'
    assert oct(os.stat(os.path.join(second, 'conf')).st_mode & 0o777) == '0o644'
    assert sorted(os.listdir(base)) == [os.path.basename(second)]
