"""The program supervisor: a small static C program that every run goes
through (see ``supervisor.c`` beside this module for what it does, and
``supervisor_memory.c`` for how it watches a program's memory).

It is compiled once per machine and source version into
``<cache_dir>/bin/sio-supervisor-<hash>`` (see
:func:`sio.workers.defaults.cache_dir`), under a file lock and with an
atomic rename, so concurrent workers share one build.  The set-up script
builds it ahead of the first job::

    python -m sio.workers.process --build

It needs a C compiler and a static C library: ``CC`` if set, else
``musl-gcc`` (Debian package ``musl-tools``; preferred, because a program
linked with musl starts several times faster than one with glibc's static
start-up, and every run pays that once more), else ``gcc`` or ``cc`` with
glibc's static library (Debian packages ``gcc`` and ``libc6-dev``).
"""

import hashlib
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile

from sio.workers.defaults import cache_dir
from sio.workers.exceptions import Failure

_HERE = os.path.dirname(os.path.abspath(__file__))
#: The C sources: the .c files are compiled together, the headers included.
SOURCES = tuple(os.path.join(_HERE, name) for name in (
    'supervisor.c', 'supervisor_memory.c', 'supervisor_serve.c', 'supervisor.h'))
#: Where the supervisor appears inside a bubblewrap sandbox.
SANDBOX_PATH = '/.sio-supervisor'
BUILD_FLAGS = ('-O2', '-static', '-Wall')
#: Seconds a build may take before it is abandoned.
BUILD_TIMEOUT = 120
_COMPILER_PATH = '/usr/bin:/bin:/usr/local/bin'
_DEBIAN_PACKAGES = 'gcc and libc6-dev (or musl-tools)'

_built = {}


def _sources():
    """name -> text of every source file."""
    texts = {}
    for path in SOURCES:
        try:
            with open(path, 'rb') as f:
                texts[os.path.basename(path)] = f.read()
        except OSError as e:
            raise Failure('the program supervisor source %s cannot be read (%s): '
                          'reinstall sioworkers' % (path, e.strerror))
    return texts


def binary_path():
    """The path of the built supervisor, building it first if needed."""
    directory = os.path.join(cache_dir(), 'bin')
    target = _built.get(directory)
    if target is not None:  # known to this process, as every run asks
        return target
    sources = _sources()
    compiler = _c_compiler()
    recipe = [platform.machine(), os.path.basename(compiler[0])] + compiler[1:] + list(
        BUILD_FLAGS)
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b'\0' + sources[name] + b'\0')
    digest = hashlib.sha256(digest.digest() + ' '.join(recipe).encode()).hexdigest()[:16]
    target = os.path.join(directory, 'sio-supervisor-' + digest)
    if not os.access(target, os.X_OK):
        _build_locked(sources, target, compiler)
    _built[directory] = target
    return target


def _build_locked(sources, target, compiler):
    import fcntl

    directory = os.path.dirname(target)
    try:
        os.makedirs(directory, exist_ok=True)
        lock = os.open(os.path.join(directory, '.sio-supervisor.lock'),
                       os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as e:
        raise Failure('cannot create %s for the program supervisor (%s): set '
                      'SIO_CACHE_DIR to a writable directory' % (directory, e.strerror))
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.access(target, os.X_OK):  # another worker may have built it
            _compile(sources, target, compiler)
    finally:
        os.close(lock)


def _c_compiler():
    """The compiler's command (a list): ``CC``, else musl-gcc, gcc or cc."""
    configured = shlex.split(os.environ.get('CC', ''))
    names = configured[:1] or ['musl-gcc', 'gcc', 'cc']
    for name in names:
        found = shutil.which(name, path=os.environ.get('PATH', _COMPILER_PATH))
        found = found or shutil.which(name, path=_COMPILER_PATH)
        if found is not None:
            return [found] + configured[1:]
    raise Failure('running programs needs a C compiler (%s) to build the program '
                  'supervisor, and it is not installed: install the Debian packages %s'
                  % (' or '.join(map(repr, names)), _DEBIAN_PACKAGES))


def _compile(sources, target, compiler):
    directory = os.path.dirname(target)
    with tempfile.TemporaryDirectory(prefix='.sio-supervisor-', dir=directory) as scratch:
        for name, text in sources.items():
            with open(os.path.join(scratch, name), 'wb') as f:
                f.write(text)
        units = [os.path.join(scratch, name) for name in sorted(sources)
                 if name.endswith('.c')]
        built = os.path.join(scratch, 'sio-supervisor')
        try:
            completed = subprocess.run(
                compiler + list(BUILD_FLAGS) + ['-o', built] + units,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure('building the program supervisor with %s took over %d s'
                          % (compiler[0], BUILD_TIMEOUT))
        if completed.returncode != 0:
            output = completed.stdout.decode('utf-8', 'replace').strip()
            raise Failure('building the program supervisor with %s failed (is the '
                          'static C library installed? Debian packages %s): %s'
                          % (compiler[0], _DEBIAN_PACKAGES, output[-500:]))
        os.chmod(built, 0o755)
        os.rename(built, target)


def command(limits, result_fd, control_fd, seccomp_fd=None, path=None, slot=None,
            tasks=None, close_fd=None):
    """The supervisor's arguments (up to and including ``--``) for a run
    under ``limits`` (a :class:`sio.workers.process.Limits`); with a
    ``slot`` (:class:`sio.workers.process.slots.Slot`), the program runs as
    its user, its tasks (processes and threads) bounded by ``tasks``;
    ``close_fd``: an inherited descriptor the program must not get."""
    args = [path or binary_path(), '--result-fd', str(result_fd),
            '--control-fd', str(control_fd)]
    processes = limits.processes if tasks is None else tasks
    for option, value in (('--cpu-ms', limits.cpu_ms),
                          ('--wall-ms', limits.wall_ms),
                          ('--memory-kib', limits.memory_kib),
                          ('--file-size', limits.effective_file_size()),
                          ('--processes', processes),
                          ('--seccomp-fd', seccomp_fd),
                          ('--uid', slot.uid if slot is not None else None),
                          ('--gid', slot.gid if slot is not None else None),
                          ('--close-fd', close_fd)):
        if value is not None:
            args += [option, str(value)]
    return args + ['--']


class Report:
    """The supervisor's result line, parsed."""

    __slots__ = ('exit_code', 'signal', 'cpu_us', 'peak_kib', 'wall_us', 'memory_exceeded',
                 'cpu_killed', 'wall_killed', 'stopped', 'ended_ns', 'failed', 'errno')

    def __init__(self, line):
        fields = dict(item.split('=', 1) for item in line.split() if '=' in item)

        def number(name):
            value = fields.get(name)
            return int(value) if value is not None else None

        self.failed = fields.get('failed')
        self.errno = number('errno')
        self.exit_code = number('exit_code')
        self.signal = number('signal')
        self.cpu_us = number('cpu_us') or 0
        self.peak_kib = number('peak_kib') or 0
        self.wall_us = number('wall_us')
        self.memory_exceeded = fields.get('memory_exceeded') == '1'
        self.cpu_killed = fields.get('cpu_killed') == '1'
        self.wall_killed = fields.get('wall_killed') == '1'
        self.stopped = fields.get('stopped') == '1'
        self.ended_ns = number('ended_ns')
        if self.failed is None and self.exit_code is None and self.signal is None:
            raise ValueError('no exit status in %r' % (line,))


def read_report(fd):
    """The :class:`Report` waiting in the pipe ``fd`` (the supervisor has
    ended), or ``None`` when it wrote none."""
    os.set_blocking(fd, False)
    data = b''
    while True:
        try:
            chunk = os.read(fd, 4096)
        except BlockingIOError:
            break
        if not chunk:
            break
        data += chunk
    line = data.decode('ascii', 'replace').strip()
    if not line:
        return None
    try:
        return Report(line.splitlines()[-1])
    except ValueError:
        return None


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args != ['--build']:
        print('usage: python -m sio.workers.process --build', file=sys.stderr)
        return 2
    try:
        print(binary_path())
    except Failure as e:
        print('sio-supervisor: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
