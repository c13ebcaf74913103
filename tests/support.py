"""Helpers shared by the tests: ``from tests.support import ...``.

Processes and servers started here are stopped by the fixtures that start
them; nothing reaches beyond 127.0.0.1.
"""

import io
import json
import os
import socket
import sys
import tarfile
import time

from sio.workers import ft, run

BIN_DIR = os.path.dirname(sys.executable)
#: The test plugin package (tests/plugin_package), installed by
#: ``scripts/setup.sh --dev`` beside the environment, never into it.
TEST_PLUGINS = os.path.join(sys.prefix, 'test-plugins')


def build_c_programs(source_dir, out_dir, flags=()):
    """Compiles every ``source_dir/*.c`` with gcc into ``out_dir``; name ->
    path of each program."""
    import glob
    import subprocess

    paths = {}
    for source in sorted(glob.glob(os.path.join(source_dir, '*.c'))):
        name = os.path.splitext(os.path.basename(source))[0]
        target = os.path.join(str(out_dir), name)
        subprocess.run(['gcc', '-O2'] + list(flags) + ['-o', target, source], check=True)
        paths[name] = target
    return paths


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tool(name):
    """Path of a console script installed with the project."""
    path = os.path.join(BIN_DIR, name)
    assert os.path.exists(path), '%s is not installed next to %s' % (name, sys.executable)
    return path


def start_filetracker_server(url, store_dir, log_path, workers=2, wait=60):
    """Starts ``filetracker-server`` in the foreground for ``url`` (loopback)."""
    import subprocess
    import time

    from sio.workers.ftserver import answers

    port = url.rsplit(':', 1)[1].rstrip('/')
    env = dict(os.environ, PATH=BIN_DIR + os.pathsep + os.environ.get('PATH', ''))
    process = subprocess.Popen(
        [tool('filetracker-server'), '-D', '-l', '127.0.0.1', '-p', port,
         '-d', store_dir, '-L', log_path, '--workers', str(workers)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + wait
    while not answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_filetracker_server(process)
            raise RuntimeError('filetracker-server did not start at %s; see %s'
                               % (url, log_path))
        time.sleep(0.1)
    return process


def stop_filetracker_server(process):
    """SIGINT to the whole group: gunicorn's quick shutdown (on SIGTERM it
    may wait 30 s for its workers)."""
    import signal

    stop_process(process, group_signal=signal.SIGINT)


def stop_process(process, grace=20, group_signal=None):
    """Asks ``process`` to stop (or its process group, with ``group_signal``),
    then kills what is left of the group."""
    import signal
    import subprocess

    if process.poll() is None:
        if group_signal is None:
            process.terminate()
        else:
            try:
                os.killpg(process.pid, group_signal)
            except ProcessLookupError:
                pass
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def sync_log(url, log_path, wait=30):
    """Waits until the server at ``url`` has logged every request answered
    so far: the access log is written after the answer is sent."""
    import time
    import urllib.request

    marker = 'log-sync-%s' % os.urandom(4).hex()
    with urllib.request.urlopen('%s/version/?%s' % (url.rstrip('/'), marker), timeout=wait):
        pass
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        with open(log_path, encoding='utf-8', errors='replace') as f:
            if marker in f.read():
                return
        time.sleep(0.02)
    raise AssertionError('the server at %s did not log %s' % (url, marker))


# Batch mode: environs as JSON lines.

def json_lines(items):
    """JSON lines text: dicts encoded, strings kept as they are."""
    return ''.join((i if isinstance(i, str) else json.dumps(i)) + '\n' for i in items)


# Compiling: sources in every language, written and compiled by the tests.

# a+b in every language the system compilers speak.
A_PLUS_B = {
    'c': '#include <stdio.h>\nint main(void) { long long a, b;\n'
         '  if (scanf("%lld %lld", &a, &b) != 2) return 1;\n'
         '  printf("%lld\\n", a + b); return 0; }\n',
    'cpp': '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b;\n'
           '  std::cout << a + b << "\\n"; }\n',
    'pas': 'program sum;\nvar a, b: int64;\nbegin\n  readln(a, b);\n  writeln(a + b);\nend.\n',
    'java': 'import java.util.Scanner;\n\npublic class Sum {\n'
            '    public static void main(String[] args) {\n'
            '        Scanner in = new Scanner(System.in);\n'
            '        long a = in.nextLong(), b = in.nextLong();\n'
            '        System.out.println(a + b);\n    }\n}\n',
    'py': 'a, b = map(int, input().split())\nprint(a + b)\n',
}

# A syntax error, and a word of the message the compiler prints for it.
SYNTAX_ERRORS = {
    'c': ('int main(void) { return 0 }\n', 'error'),
    'cpp': ('int main() { return 0 }\n', 'error'),
    'pas': ('program bad;\nbegin\n  writeln(1\nend.\n', 'Error'),
    'java': ('public class Bad { void f() { int x = ; } }\n', 'error'),
    'py': ('print(1\n', 'SyntaxError'),
}


class Sources:
    """Writes files into one directory; compiles them with the compile job."""

    def __init__(self, root):
        self.root = root

    def write(self, name, text, mode='w'):
        path = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path

    def exists(self, name):
        return os.path.exists(self.path(name))

    def path(self, name):
        return os.path.join(self.root, name)

    def compile(self, source, out='out/program', **keys):
        environ = {'job_type': 'compile', 'use_filetracker': False,
                   'source_file': self.path(source), 'out_file': self.path(out)}
        environ.update(keys)
        return run(environ)


def make_zip(path, members):
    """A zip archive at ``path``.  ``members``: (name, kind, payload) with
    kind file (payload: text or bytes), dir, symlink (payload: the target)
    or chardev; a file's payload may also be (data, permission bits)."""
    import stat
    import zipfile

    kinds = {'file': stat.S_IFREG, 'dir': stat.S_IFDIR, 'symlink': stat.S_IFLNK,
             'chardev': stat.S_IFCHR}
    with zipfile.ZipFile(str(path), 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, kind, payload in members:
            data, mode = payload if isinstance(payload, tuple) else (payload, 0o644)
            info = zipfile.ZipInfo(name + ('/' if kind == 'dir' else ''),
                                   date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (kinds[kind] | (0o755 if kind == 'dir' else mode)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data or b'')
    return str(path)


def oioioi_compile(sources, source, compiler, language, out='out/exe', **keys):
    """Runs ``compile`` with an environ shaped as OIOIOI's handlers build
    it (the submission's environ, copied, with the compile keys set), and
    reads the result as OIOIOI's ``compile_end`` does: returns
    (compilation_result, compilation_message, compiled_file, exec_info)
    and the environ itself."""
    environ = {
        # what OIOIOI's evaluation environ carries along
        'submission_id': 17, 'problem_instance_id': 3, 'problem_id': 2,
        'problem_short_name': 'sum', 'contest_id': 'c', 'round_id': 1,
        'submission_kind': 'NORMAL', 'is_rejudge': False, 'extra_args': {},
        'report_kinds': ['INITIAL', 'NORMAL'], 'exec_mode': 'sio2jail',
        'untrusted_checker': False, 'fake_time': 'off', 'subtask_dependencies': {},
        'compilation_result_size_limit': 10 * 1024 * 1024,
        # what oioioi.programs.handlers.compile sets
        'job_type': 'compile', 'task_priority': 200, 'use_filetracker': False,
        'source_file': sources.path(source), 'out_file': sources.path(out),
        'language': language, 'compiler': compiler, 'extra_files': {},
    }
    environ.update(keys)
    result = run(environ)
    assert result['result'] == 'SUCCESS', result.get('exception')
    read = (result.get('result_code', 'CE'), result.get('compiler_output', ''),
            result.get('out_file'), result.get('exec_info', {}))
    return read, result


# Sandboxes: archives built by the tests, stored in a filetracker server.

_version = [int(time.time()) + 1000]


def next_version():
    """Versions newer than anything stored so far."""
    _version[0] += 10
    return _version[0]


def make_archive(path, members):
    """``members``: (name, kind, payload, mode) tuples; kind is file, dir,
    symlink, hardlink or chardev."""
    with tarfile.open(str(path), 'w:gz') as tar:
        for name, kind, payload, mode in members:
            info = tarfile.TarInfo(name)
            info.mode = mode
            info.mtime = 1600000000
            data = None
            if kind == 'file':
                data = payload if isinstance(payload, bytes) else payload.encode()
                info.size = len(data)
            elif kind == 'dir':
                info.type = tarfile.DIRTYPE
            elif kind == 'symlink':
                info.type, info.linkname = tarfile.SYMTYPE, payload
            elif kind == 'hardlink':
                info.type, info.linkname = tarfile.LNKTYPE, payload
            elif kind == 'chardev':
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return str(path)


def store(url, name, archive, version=None):
    remote = '/sandboxes/%s.tar.gz@%d' % (name, version or next_version())
    return ft.upload({'filetracker_url': url, 'f': remote}, 'f', archive)


def assert_one_line_error(completed, prog, expected, status=2):
    """``completed`` (a finished command) failed with ``status`` and said
    why in one line ``PROG: error: ...`` naming ``expected``."""
    assert completed.returncode == status, completed.stderr
    assert completed.stderr.startswith('%s: error: ' % prog), completed.stderr
    assert expected in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 1, completed.stderr
    assert 'Traceback' not in completed.stderr


# Waiting for processes.

def wait_until(condition, timeout, what):
    """Polls ``condition`` until it is true; fails the test after
    ``timeout`` seconds (a generous bound, not a measurement)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError('gave up waiting for %s after %ss' % (what, timeout))


def pid_alive(pid):
    """Whether ``pid`` is a process that has not finished (zombies have)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except (OSError, IndexError):
        return False
