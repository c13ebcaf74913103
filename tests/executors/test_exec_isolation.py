"""What an isolated program (exec) cannot do."""

import os
import socket

from sio.workers import run
from tests.support import free_port

HERE = os.path.abspath(__file__)


def run_exec(program, in_file, tmp_path, job_type='exec'):
    out = str(tmp_path / 'program_out')
    result = run(dict(job_type=job_type, exe_file=program, in_file=in_file, out_file=out))
    assert result['result'] == 'SUCCESS', result.get('exception')
    assert result['result_code'] == 'OK', result['result_string']
    return open(out).read()


def test_no_network_even_to_loopback(programs, files, tmp_path):
    port = free_port()
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', port))
        listener.listen(1)
        listener.settimeout(0.5)
        answer = run_exec(programs['connect'], files(port='%d\n' % port)['port'], tmp_path)
        assert answer == 'refused\n'
        try:
            listener.accept()
            arrived = True
        except socket.timeout:
            arrived = False
    assert not arrived
    # The same program without isolation does connect: the test can fail.
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', port))
        listener.listen(1)
        assert run_exec(programs['connect'], files(port='%d\n' % port)['port'], tmp_path,
                        'unsafe-exec') == 'connected\n'


def test_cannot_read_project_files_or_write_outside(programs, files, tmp_path):
    outside = tmp_path / 'outside_written'
    request = files(request='%s %s\n' % (HERE, outside))['request']
    assert run_exec(programs['snoop'], request, tmp_path) == 'read no\nwrite no\n'
    assert not outside.exists()
    assert run_exec(programs['snoop'], request, tmp_path, 'unsafe-exec') == \
        'read yes\nwrite yes\n'


def test_cannot_read_home(programs, files, tmp_path):
    home_file = os.path.join(os.path.expanduser('~'), '.sio_exec_test_secret')
    with open(home_file, 'w') as f:
        f.write('secret')
    try:
        request = files(request='%s %s\n' % (home_file, 'written_here'))['request']
        assert run_exec(programs['snoop'], request, tmp_path) == 'read no\nwrite yes\n'
    finally:
        os.unlink(home_file)


def test_isolated_program_cannot_change_the_callers_input_file(programs, files, tmp_path):
    in_file = files(test_input='the test input\n')['test_input']
    run_exec(programs['scribble'], in_file, tmp_path)
    assert open(in_file).read() == 'the test input\n'
