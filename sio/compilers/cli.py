"""``sio-compile SOURCE OUTPUT [EXT]``: the compile job from the shell.

Compiles a local file with the compiler the job would choose (or that of
``EXT``: a language code or extension such as ``cpp``, or a compiler's
name), prints the compiler's output on standard error and the
``exec_info`` on standard output.  Exit status: 0 compiled, 1 compilation
error, 2 unusable arguments or a failure of the job.
"""

import os
import sys

PROG = 'sio-compile'
USAGE = """\
usage: sio-compile SOURCE OUTPUT [EXT]

Compiles SOURCE into OUTPUT (local files) with the compile job.

positional arguments:
  SOURCE   the source file; its extension chooses the compiler
  OUTPUT   where the compiled program is written
  EXT      the language instead: an extension or code such as 'cpp' or
           '.c' (compiler default-EXT), or the name of a compiler

Prints the compiler's output on standard error, and the exec_info the exec
jobs need on standard output.  Exit status: 0 compiled, 1 compilation
error, 2 unusable arguments or a failure of the job.
"""


def _compiler_for(ext):
    from sio.compilers.defaults import DEFAULT_COMPILER_PREFIX
    from sio.workers import _plugins
    from sio.workers.defaults import COMPILERS_GROUP

    code = ext.lower().lstrip('.')
    known = _plugins.entry_points(COMPILERS_GROUP)
    if DEFAULT_COMPILER_PREFIX + code not in known and ext in known:
        return ext
    return DEFAULT_COMPILER_PREFIX + code


def main(argv=None):
    from sio.workers import _jsonio, run

    argv = sys.argv[1:] if argv is None else list(argv)
    if any(arg in ('-h', '--help') for arg in argv):
        sys.stdout.write(USAGE)
        return 0
    if len(argv) not in (2, 3) or any(arg.startswith('-') for arg in argv):
        sys.stderr.write('%s: error: expected SOURCE OUTPUT [EXT], got %s (see '
                         '%s --help)\n' % (PROG, ' '.join(map(repr, argv)) or 'nothing',
                                           PROG))
        return 2
    environ = {'job_type': 'compile', 'use_filetracker': False,
               'source_file': os.path.abspath(argv[0]),
               'out_file': os.path.abspath(argv[1])}
    try:
        if len(argv) == 3:
            environ['compiler'] = _compiler_for(argv[2])
        result = run(environ)
    except KeyboardInterrupt:
        sys.stderr.write('%s: interrupted\n' % PROG)
        return 130
    if result.get('result') != 'SUCCESS':
        sys.stderr.write('%s: error: %s\n' % (PROG, result.get('exception')))
        return 2
    sys.stderr.write(result.get('compiler_output', ''))
    if result.get('result_code') != 'OK':
        return 1
    sys.stdout.write(_jsonio.dumps(result['exec_info']) + '\n')
    return 0
