"""``sio-batch``: run one job from the shell, or many with ``-j``.

The environ comes as JSON in the environment variable ``environ``; the
result is printed between ``--- BEGIN ENVIRON ---`` and
``--- END ENVIRON ---``.  Whatever the job itself writes to standard output
is sent to standard error, so that standard output holds only that block.
``-j N`` (batch mode, :mod:`sio.workers.cli.parallel`) runs JSON lines.

Start-up time matters here (a judge may call this thousands of times), so
the plain call -- no arguments at all -- skips :mod:`argparse` and imports
nothing it does not use.
"""

import os
import sys

from sio.workers.cli import EXIT_DONE, UsageError, parser, run_main
from sio.workers.cli.environ_json import (BEGIN, END, PROG, apply_overrides,
                                          decode_environ, encode_environ)

DESCRIPTION = """\
Runs the job described by the JSON object in the environment variable
'environ' and prints the resulting environ between the lines
'%s' and '%s'.""" % (BEGIN, END)

EPILOG = """\
environment:
  environ       the job's environ, a JSON object (a JSON string holding
                one is decoded once more)
  prefilters    space-separated filter names appended to environ['prefilters']
  postfilters   space-separated filter names appended to environ['postfilters']

Exit status: 0 when the environ was processed, whatever its 'result';
2 when the input was unusable; 130 or 143 when interrupted."""


def _read_environ(job_type):
    text = os.environ.get('environ')
    if text is None:
        raise UsageError("the environment variable 'environ' is not set; "
                         "it must hold the job's environ as a JSON object")
    return apply_overrides(decode_environ(text), job_type)


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
    return EXIT_DONE


def list_plugins(out=None):
    """Print every plugin found, grouped, with the first docstring line."""
    from sio.workers import plugins
    from sio.workers.defaults import GROUP_TITLES

    out = out or sys.stdout
    plugins.refresh()
    for group in sorted(set(GROUP_TITLES) | set(plugins.groups())):
        entries = plugins.entry_points(group)
        title = GROUP_TITLES.get(group, 'plugin')
        out.write('%ss (%s):\n' % (title, group))
        if not entries:
            out.write('  (none)\n')
        width = max([len(n) for n in entries] + [0])
        for name in sorted(entries):
            try:
                doc = (plugins.load(group, name).__doc__ or '').strip()
                summary = doc.splitlines()[0] if doc else '(no description)'
            except Exception as e:
                summary = 'cannot be loaded: %s' % e
            out.write('  %-*s  %s\n' % (width, name, summary))
    return 0


def make_parser():
    result = parser(PROG, DESCRIPTION, EPILOG)
    result.add_argument('job_type', nargs='*', metavar='JOB_TYPE',
                        help="run this job, overriding environ['job_type']")
    result.add_argument('--list', action='store_true',
                        help='list every job, filter and compiler found, and exit')
    result.add_argument('-j', '--jobs', metavar='N', default=None,
                        help="batch mode: read one environ per line (JSON lines) and "
                             "run them on N worker processes (0 or 'auto': one per "
                             "core); print one result environ per line, in input order")
    result.add_argument('-i', '--input', metavar='FILE', default=None,
                        help='batch mode: read the environs from FILE, not standard '
                             'input')
    return result


def _run(argv):
    if not argv:  # the common call, kept off argparse (see the module docstring)
        return run_one(None)
    args = make_parser().parse_args(argv)
    if args.jobs is not None or args.input is not None:
        from sio.workers.cli.parallel import run_batch

        if len(args.job_type) > 1:
            raise UsageError('unexpected arguments in batch mode: %s'
                             % ' '.join(repr(a) for a in args.job_type[1:]))
        return run_batch(args.jobs or '1', args.input,
                         args.job_type[0] if args.job_type else None)
    if len(args.job_type) > 1:
        raise UsageError('too many arguments: %s; expected at most one, the job type'
                         % ' '.join(repr(a) for a in args.job_type))
    if args.list:
        if args.job_type:
            raise UsageError('--list takes no job type')
        return list_plugins()
    return run_one(args.job_type[0] if args.job_type else None)


def main(argv=None):
    """``sio-batch``; the exit status."""
    return run_main(PROG, _run, argv)
