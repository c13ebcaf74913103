"""sio.workers.util: the original's helpers."""

import json
import os

import pytest

from sio.workers import run
from sio.workers.util import (RegisteredSubclassesBase, TemporaryCwd, ceil_ms2s,
                              decode_fields, first_entry_point, json_dumps, ms2s,
                              null_ctx_manager, path_join_abs, replace_invalid_UTF, s2ms,
                              tempcwd)


def test_time_conversions():
    assert (s2ms(1.95), ms2s(1190), ceil_ms2s(1000), ceil_ms2s(1001)) == (1950, 1.19, 1, 2)


def test_paths_and_text():
    assert path_join_abs('/usr', '/bin/sh') == '/usr/bin/sh'
    assert replace_invalid_UTF(b'a\xffb') == 'a\ufffdb'
    assert replace_invalid_UTF('z\udcff') == 'z?'
    assert json.loads(json_dumps({'a': b'bytes'})) == {'a': 'bytes'}
    assert decode_fields(['x'])(lambda: {'x': b'text', 'y': b'kept'})() == {
        'x': 'text', 'y': b'kept'}
    with null_ctx_manager() as nothing:
        assert nothing is None


def test_first_entry_point_loads_and_names_what_is_missing():
    from sio.workers.ping import run as ping

    assert first_entry_point('sio.jobs', 'ping') is ping
    with pytest.raises(RuntimeError, match='no-such-job'):
        first_entry_point('sio.jobs', 'no-such-job')


def test_registered_subclasses_skip_the_abstract_ones():
    class Base(RegisteredSubclassesBase):
        abstract = True
        seen = []

        @classmethod
        def register_subclass(cls, subclass):
            cls.seen.append(subclass.__name__)

    class Middle(Base):
        abstract = True

    class Leaf(Middle):
        pass

    class Other(Base):
        pass

    assert Base.subclasses == [Leaf, Other]
    assert Middle.subclasses == [Leaf]
    # Called once per class on the way up, the subclass itself included.
    assert Base.seen == ['Leaf'] * 3 + ['Other'] * 2


def test_temporary_cwd_is_made_entered_and_removed():
    before = os.getcwd()
    with TemporaryCwd('inner') as made:
        inside = tempcwd()
        assert os.path.basename(inside) == 'inner' and os.getcwd() == inside
        assert tempcwd('x') == os.path.join(inside, 'x')
        assert tempcwd('/abs/x') == '/abs/x'
        with open('file', 'w'):
            pass
    assert os.getcwd() == before
    assert not os.path.exists(made.path)


def test_a_job_of_the_original_kind_sees_its_directories(tmp_path, compiled):
    environ = run({'job_type': 'test-original-run-twice', 'exe_file': compiled('add'),
                   'in_file': _write(tmp_path / 'in', '20 22\n')})
    assert environ['result'] == 'SUCCESS', environ.get('exception')
    assert environ['inner_is_cwd'] and environ['job_dir_is_cwd']
    assert environ['output'] == '42\n'
    assert environ['listing'] == ['mark']


def _write(path, text):
    path.write_text(text)
    return str(path)
