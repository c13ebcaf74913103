"""``sio-batch``: run one job from the shell.

The environ comes as JSON in the environment variable ``environ``; the
result is printed between ``--- BEGIN ENVIRON ---`` and
``--- END ENVIRON ---``.  Whatever the job itself writes to standard output
is sent to standard error, so that standard output holds only that block.

Start-up time matters here (a judge may call this thousands of times), so
the plain path imports nothing it does not use.
"""

import os
import sys

from sio.workers import _jsonio
from sio.workers.exceptions import Failure

PROG = 'sio-batch'
BEGIN = '--- BEGIN ENVIRON ---'
END = '--- END ENVIRON ---'

USAGE = """\
usage: sio-batch [JOB_TYPE]
       sio-batch -j N [-i FILE] [JOB_TYPE]
       sio-batch --list
       sio-batch --help

Runs the job described by the JSON object in the environment variable
'environ' and prints the resulting environ between the lines
'%s' and '%s'.

positional arguments:
  JOB_TYPE      run this job, overriding environ['job_type']

options:
  -h, --help    show this help and exit
  --list        list every job, filter and compiler found, and exit
  -j N, --jobs N
                batch mode: read one environ per line (JSON lines) and run
                them on N worker processes (0 or 'auto': one per core);
                print one result environ per line, in input order
  -i FILE, --input FILE
                batch mode: read the environs from FILE, not standard input

environment:
  environ       the job's environ, a JSON object (a JSON string holding
                one is decoded once more)
  prefilters    space-separated filter names appended to environ['prefilters']
  postfilters   space-separated filter names appended to environ['postfilters']

Exit status: 0 when the environ was processed, whatever its 'result';
2 when the input was unusable; 130 or 143 when interrupted.
""" % (BEGIN, END)


class UsageError(Exception):
    """Unusable command line or input: one line on standard error, status 2."""


class _Interrupted(KeyboardInterrupt):
    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_terminate(signum, frame):
    raise _Interrupted(signum)


def _catch_termination():
    # _signal is the C module behind signal; signal.py would add an enum
    # import to every start-up for nothing.
    try:
        import _signal as signal_module
    except ImportError:  # pragma: no cover
        import signal as signal_module
    signal_module.signal(signal_module.SIGTERM, _on_terminate)


def decode_environ(text, source="the environment variable 'environ'"):
    """The environ (a dict) from JSON text; :class:`UsageError` otherwise."""
    try:
        value = _jsonio.loads(text)
        if isinstance(value, str):  # quoted twice by some front ends
            value = _jsonio.loads(value)
    except ValueError as e:
        raise UsageError('%s is not valid JSON: %s' % (source, e))
    if not isinstance(value, dict):
        raise UsageError('%s must hold a JSON object, not %s'
                         % (source, _json_type_name(value)))
    return value


def _json_type_name(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    return {list: 'an array', str: 'a string', int: 'a number',
            float: 'a number'}.get(type(value), type(value).__name__)


def _read_environ(job_type):
    text = os.environ.get('environ')
    if text is None:
        raise UsageError("the environment variable 'environ' is not set; "
                         "it must hold the job's environ as a JSON object")
    return apply_overrides(decode_environ(text), job_type)


def apply_overrides(environ, job_type):
    """The job type argument and the filter variables, applied to ``environ``."""
    if job_type is not None:
        environ['job_type'] = job_type
    for kind in ('prefilters', 'postfilters'):
        extra = os.environ.get(kind, '').split()
        if extra:
            current = environ.get(kind)
            if current is None:
                current = []
            elif isinstance(current, str):
                current = current.split()
            elif not isinstance(current, list):
                raise UsageError('environ key %r must be a list of filter names, not %r'
                                 % (kind, current))
            environ[kind] = list(current) + extra
    return environ


def encode_environ(environ):
    """One line of JSON; an unencodable value turns the result into FAILURE."""
    try:
        return _jsonio.dumps(environ)
    except (TypeError, ValueError) as e:
        from sio.workers.runner import _record_failure

        _record_failure(environ, Failure(
            'the resulting environ cannot be encoded as JSON: %s' % e))
        import simplejson

        return simplejson.dumps(environ, default=repr)


def _run_with_stdout_to_stderr(environ):
    from sio.workers.runner import run

    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        return run(environ)
    finally:
        try:
            sys.stdout.flush()
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def run_one(job_type):
    environ = _read_environ(job_type)
    result = _run_with_stdout_to_stderr(environ)
    sys.stdout.write('%s\n%s\n%s\n' % (BEGIN, encode_environ(result), END))
    sys.stdout.flush()
    return 0


def list_plugins(out=None):
    """Print every plugin found, grouped, with the first docstring line."""
    from sio.workers import _plugins
    from sio.workers.defaults import GROUP_TITLES

    out = out or sys.stdout
    _plugins.refresh()
    for group in sorted(set(GROUP_TITLES) | set(_plugins.groups())):
        entries = _plugins.entry_points(group)
        title = GROUP_TITLES.get(group, 'plugin')
        out.write('%ss (%s):\n' % (title, group))
        if not entries:
            out.write('  (none)\n')
        width = max([len(n) for n in entries] + [0])
        for name in sorted(entries):
            try:
                doc = (_plugins.load(group, name).__doc__ or '').strip()
                summary = doc.splitlines()[0] if doc else '(no description)'
            except Exception as e:
                summary = 'cannot be loaded: %s' % e
            out.write('  %-*s  %s\n' % (width, name, summary))
    return 0


# Options of the parallel batch mode (sio.workers.batch, imported only then).
BATCH_OPTIONS = ('-j', '--jobs', '-i', '--input')


def _is_batch_option(arg):
    return arg in BATCH_OPTIONS or arg.startswith(('-j', '-i', '--jobs=', '--input='))


def _parse(argv):
    """(action, argument) from the command line."""
    positional = []
    action = 'run'
    for arg in argv:
        if arg in ('-h', '--help'):
            return 'help', None
        if _is_batch_option(arg):
            return 'batch', None
        if arg == '--list':
            action = 'list'
        elif arg.startswith('-') and arg != '-':
            raise UsageError('unknown option %r (see sio-batch --help)' % arg)
        else:
            positional.append(arg)
    if len(positional) > 1:
        raise UsageError('too many arguments: %s; expected at most one, the job type'
                         % ' '.join(repr(a) for a in positional))
    if action == 'list' and positional:
        raise UsageError('--list takes no job type')
    return action, positional[0] if positional else None


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        _catch_termination()
        action, argument = _parse(argv)
        if action == 'help':
            sys.stdout.write(USAGE)
            return 0
        if action == 'list':
            return list_plugins()
        if action == 'batch':
            from sio.workers.batch import main as batch_main

            return batch_main(argv)
        return run_one(argument)
    except UsageError as e:
        sys.stderr.write('%s: error: %s\n' % (PROG, e))
        return 2
    except _Interrupted as e:
        sys.stderr.write('%s: terminated by signal %d\n' % (PROG, e.signum))
        return 128 + e.signum
    except KeyboardInterrupt:
        sys.stderr.write('%s: interrupted\n' % PROG)
        return 130
    except BrokenPipeError:
        return 1
