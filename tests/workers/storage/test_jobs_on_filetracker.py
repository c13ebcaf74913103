"""compile and exec with every file in a filetracker server."""

import os
import subprocess
import sys

from sio.workers import ft, run

SOURCE = '#include <stdio.h>\nint main(void) { long a, b; scanf("%ld %ld", &a, &b);' \
         ' printf("%ld\\n", a + b); return 0; }\n'


def put(url, name, text, tmp_path):
    source = tmp_path / ('src-%s' % os.urandom(3).hex())
    source.write_text(text)
    return ft.upload({'filetracker_url': url, 'f': name}, 'f', str(source))


def test_compile_and_exec_with_files_on_the_server(filetracker_server, workdir, tmp_path,
                                                   unique):
    url = filetracker_server
    put(url, unique + '/sum.c', SOURCE, tmp_path)
    put(url, unique + '/1.in', '2 40\n', tmp_path)
    put(url, unique + '/1.out', '42\n', tmp_path)
    compiled = run({'job_type': 'compile', 'filetracker_url': url,
                    'source_file': unique + '/sum.c', 'out_file': unique + '/sum.e'})
    assert compiled['result'] == 'SUCCESS', compiled.get('exception')
    assert compiled['result_code'] == 'OK', compiled['compiler_output']
    assert compiled['out_file'].startswith(unique + '/sum.e@')
    executed = run({'job_type': 'exec', 'filetracker_url': url,
                    'exe_file': compiled['out_file'], 'exec_info': compiled['exec_info'],
                    'in_file': unique + '/1.in', 'hint_file': unique + '/1.out',
                    'out_file': unique + '/1.res', 'upload_out': True,
                    'check_output': True})
    assert executed['result'] == 'SUCCESS', executed.get('exception')
    assert executed['result_code'] == 'OK', executed.get('result_string')
    assert executed['out_file'].startswith(unique + '/1.res@')
    ft.download({'filetracker_url': url, 'f': executed['out_file']}, 'f',
                str(tmp_path / 'res'))
    assert (tmp_path / 'res').read_text() == '42\n'
    assert os.listdir(str(workdir)) == []  # nothing local was written


def test_exec_output_without_upload_out_stays_on_this_machine(filetracker_server, workdir,
                                                              tmp_path, unique):
    url = filetracker_server
    put(url, unique + '/sum.c', SOURCE, tmp_path)
    put(url, unique + '/1.in', '1 2\n', tmp_path)
    compiled = run({'job_type': 'compile', 'filetracker_url': url,
                    'source_file': unique + '/sum.c', 'out_file': unique + '/sum.e'})
    assert compiled['result_code'] == 'OK', compiled.get('exception')
    executed = run({'job_type': 'exec', 'filetracker_url': url,
                    'exe_file': compiled['out_file'], 'exec_info': compiled['exec_info'],
                    'in_file': unique + '/1.in', 'out_file': unique + '/1.res'})
    assert executed['result'] == 'SUCCESS', executed.get('exception')
    assert filetracker_server.requests_for(unique + '/1.res', 'PUT') == 0
    ft.download({'filetracker_url': url, 'f': executed['out_file']}, 'f',
                str(tmp_path / 'res'))
    assert (tmp_path / 'res').read_text() == '3\n'


def test_the_protocol_check_is_debug_logging_not_output(filetracker_server, tmp_path,
                                                       unique):
    # A fresh process: the client checks the server's protocol on its first
    # upload (filetracker's own client printed "Settled for protocol version
    # 2" on standard output there).
    script = ('import sys, logging\n'
              'from sio.workers import ft\n'
              'logging.basicConfig(level=sys.argv[3], stream=sys.stderr,\n'
              '                    format="%%(levelname)s %%(name)s %%(message)s")\n'
              'ft.upload({"filetracker_url": sys.argv[1], "f": "%s/x"}, "f", sys.argv[2])\n'
              % unique)
    source = tmp_path / 'x'
    source.write_text('x')
    said = 'DEBUG sio.workers._ftremote the filetracker at %s speaks protocol version 2' % (
        filetracker_server)
    for level, shown in (('WARNING', False), ('DEBUG', True)):
        out = subprocess.run([sys.executable, '-c', script, filetracker_server, str(source),
                              level], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout == ''
        assert (said in out.stderr.splitlines()) == shown
        assert shown or out.stderr == ''
