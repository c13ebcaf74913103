"""execute() and noquote: the original's return value (bytes) and quoting."""

import pytest

from sio.workers.execute import ExecError, execute, noquote


def test_list_arguments_are_quoted(tmp_path):
    code, output = execute(['echo', 'a  b', '>', 'c'], cwd=str(tmp_path))
    assert (code, output) == (0, b'a  b > c\n')


def test_noquote_pieces_reach_the_shell(tmp_path):
    code, _ = execute(['echo', 'hello world', noquote('>'), 'greeting'], cwd=str(tmp_path))
    assert code == 0
    assert (tmp_path / 'greeting').read_text() == 'hello world\n'


def test_stdin_and_split_lines():
    assert execute(['cat'], stdin='one\ntwo\n', split_lines=True) == (
        0, [b'one', b'two', b''])


def test_standard_error_is_merged_only_when_forwarded(tmp_path):
    line = 'echo out; echo err >&2'
    assert execute(line, cwd=str(tmp_path)) == (0, b'out\n')
    assert execute(line, cwd=str(tmp_path), forward_stderr=True) == (0, b'out\nerr\n')


def test_failure_names_the_command_unless_ignored():
    with pytest.raises(ExecError, match='returned code 4'):
        execute('exit 4')
    with pytest.raises(RuntimeError):  # what plugins of the original catch
        execute(['exit', '4'])
    assert execute('exit 4', ignore_errors=True)[0] == 4
    assert execute('exit 4', extra_ignore_errors=(4,))[0] == 4
