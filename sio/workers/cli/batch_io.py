"""What ``sio-batch -j`` reads and writes: numbered input lines, result
lines for environs that never reached a worker, the closing summary and the
progress bar."""

import os
import sys

from sio.workers import _jsonio
from sio.workers.cli import UsageError
from sio.workers.cli.environ_json import PROG, apply_overrides, decode_environ  # noqa: F401  (PROG re-exported)
from sio.workers.defaults import FAILURE

_STDIN_NAME = 'standard input'
#: The longest input line (one environ) read, in bytes.
MAX_LINE_BYTES = 16 << 20


def failure_line(message, environ_line=None):
    """A FAILURE result: the environ sent (if any) with ``exception``."""
    environ = _jsonio.loads(environ_line) if environ_line else {}
    environ.update(result=FAILURE, exception=message)
    return _jsonio.dumps(environ)


class Source:
    """The input lines, numbered; blank lines are skipped."""

    def __init__(self, path):
        self.name = _STDIN_NAME if path is None else 'input file %r' % path
        try:
            self.stream = sys.stdin.buffer if path is None else open(path, 'rb')
        except OSError as e:
            raise UsageError('cannot read input file %r: %s' % (path, e.strerror))
        self.lines = None
        self.number = 0
        self._next = 0
        if _is_regular_file(self.stream):
            self.lines = []
            while True:
                line = self._read_line()
                if line is None:
                    break
                self.lines.append((self.number, line))

    def total(self):
        """The number of environs, if known in advance."""
        return None if self.lines is None else len(self.lines)

    def next_line(self):
        """(line number, bytes) of the next environ, or None at the end."""
        if self.lines is not None:
            if self._next >= len(self.lines):
                return None
            self._next += 1
            return self.lines[self._next - 1]
        line = self._read_line()
        return None if line is None else (self.number, line)

    def _read_line(self):
        """The next non-blank line, at most :data:`MAX_LINE_BYTES` long, or
        None at the end; :class:`UsageError` for a longer line (/dev/zero is
        one endless line)."""
        while True:
            line = self.stream.readline(MAX_LINE_BYTES + 1)
            if not line:
                return None
            self.number += 1  # counts blank lines too: numbers match the input
            if len(line) > MAX_LINE_BYTES:
                raise UsageError('line %d of %s is longer than %d bytes: not an environ'
                                 % (self.number, self.name, MAX_LINE_BYTES))
            if line.strip():
                return line


def _is_regular_file(stream):
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):
        return False


def prepared_environ(raw, number, source_name, job_type):
    """(JSON line to send to a worker, None) or (None, failure result line)."""
    where = 'line %d of %s' % (number, source_name)
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        return None, failure_line('%s is not valid UTF-8: %s' % (where, e))
    try:
        environ = apply_overrides(decode_environ(text, where), job_type)
    except UsageError as e:
        return None, failure_line(str(e))
    return _jsonio.dumps(environ), None


class Summary:
    """Counts of ``result`` and ``result_code`` over the results written."""

    def __init__(self):
        self.results = {}
        self.result_codes = {}
        self.count = 0

    def add(self, line):
        try:
            environ = _jsonio.loads(line)
        except ValueError:
            environ = {}
        self.count += 1
        for counts, key in ((self.results, 'result'), (self.result_codes, 'result_code')):
            value = environ.get(key)
            if value is not None:
                value = str(value)
                counts[value] = counts.get(value, 0) + 1

    def text(self, seconds, workers, interrupted_by=None):
        parts = ['%d environ%s in %.1f s on %d worker%s' % (
            self.count, '' if self.count == 1 else 's', seconds,
            workers, '' if workers == 1 else 's')]
        for title, counts in (('result', self.results), ('result_code', self.result_codes)):
            if counts:
                parts.append('%s: %s' % (title, ', '.join(
                    '%s %d' % item for item in sorted(counts.items()))))
        prefix = 'interrupted; ' if interrupted_by else ''
        return '%s: %s%s' % (PROG, prefix, '; '.join(parts))


def progress_bar(total):
    """A tqdm bar on standard error when it is a terminal and tqdm is there."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit='environ', file=sys.stderr)
