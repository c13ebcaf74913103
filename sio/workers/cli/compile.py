"""``sio-compile SOURCE OUTPUT [EXT]``: the compile job from the shell.

Compiles a local file with the compiler the job would choose (or that of
``EXT``: a language code or extension such as ``cpp``, or a compiler's
name), prints the compiler's output on standard error and the
``exec_info`` on standard output.  Exit status: 0 compiled, 1 compilation
error, 2 unusable arguments or a failure of the job.
"""

import os
import sys

from sio.workers.cli import EXIT_DONE, EXIT_FAILED, UsageError, parser, run_main

PROG = 'sio-compile'
DESCRIPTION = 'Compiles SOURCE into OUTPUT (local files) with the compile job.'
EPILOG = """\
Prints the compiler's output on standard error, and the exec_info the exec
jobs need on standard output.  Exit status: 0 compiled, 1 compilation
error, 2 unusable arguments or a failure of the job."""


def _compiler_for(ext):
    from sio.compilers.defaults import DEFAULT_COMPILER_PREFIX
    from sio.workers import plugins
    from sio.workers.defaults import COMPILERS_GROUP

    code = ext.lower().lstrip('.')
    known = plugins.entry_points(COMPILERS_GROUP)
    if DEFAULT_COMPILER_PREFIX + code not in known and ext in known:
        return ext
    return DEFAULT_COMPILER_PREFIX + code


def make_parser():
    result = parser(PROG, DESCRIPTION, EPILOG)
    result.add_argument('source', metavar='SOURCE',
                        help='the source file; its extension chooses the compiler')
    result.add_argument('output', metavar='OUTPUT',
                        help='where the compiled program is written')
    result.add_argument('ext', metavar='EXT', nargs='?', default=None,
                        help="the language instead: an extension or code such as 'cpp' "
                             "or '.c' (compiler default-EXT), or the name of a compiler")
    return result


def _run(argv):
    from sio.workers import _jsonio, run

    args = make_parser().parse_args(argv)
    environ = {'job_type': 'compile', 'use_filetracker': False,
               'source_file': os.path.abspath(args.source),
               'out_file': os.path.abspath(args.output)}
    if args.ext is not None:
        environ['compiler'] = _compiler_for(args.ext)
    result = run(environ)
    if result.get('result') != 'SUCCESS':
        # What the job could not use came from the command line.
        raise UsageError(result.get('exception'))
    sys.stderr.write(result.get('compiler_output', ''))
    if result.get('result_code') != 'OK':
        return EXIT_FAILED
    sys.stdout.write(_jsonio.dumps(result['exec_info']) + '\n')
    return EXIT_DONE


def main(argv=None):
    """``sio-compile``; the exit status."""
    return run_main(PROG, _run, argv)
