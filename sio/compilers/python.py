"""Python: byte-compiled to report syntax errors as CE, run by the
executors from the source."""

from sio.compilers import defaults
from sio.compilers.base import Compiler

# Byte-compiles every file named on the command line, printing each error
# as Python would when running the file, and fails if any had one.
_CHECK_SYNTAX = '''\
import py_compile, sys
failed = False
for name in sys.argv[1:]:
    try:
        py_compile.compile(name, cfile=name + '.check', doraise=True)
    except py_compile.PyCompileError as e:
        sys.stdout.write(e.msg.strip() + '\\n')
        failed = True
sys.exit(1 if failed else 0)
'''


class SystemPython(Compiler):
    """Python 3, syntax-checked by the system's python3; run from source."""

    lang = 'py'
    extension = '.py'

    def commands(self, build):
        return [[defaults.PYTHON, '-I', '-S', '-c', _CHECK_SYNTAX] + build.sources]

    def result(self, build):
        return build.source

    def exec_info(self, build):
        return {'mode': 'python'}
