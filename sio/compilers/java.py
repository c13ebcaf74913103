"""Java: compiled by the system's javac into a jar the executors run.

A JVM reserves far more address space than it uses, so javac and jar run
without an address-space limit: their heap is sized from
``compilation_mem_limit`` and the job compares their peak resident memory
with it afterwards.
"""

import re

from sio.compilers import defaults
from sio.compilers.base import Compiler

_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')
_PACKAGE = re.compile(r'^\s*package\s+([\w.]+)\s*;', re.M)
# A top-level class: declared at the start of a line, possibly public.
_CLASS = re.compile(r'^(?P<mods>(?:(?:public|final|abstract|strictfp)\s+)*)'
                    r'(?:class|record|enum|interface)\s+(?P<name>\w+)', re.M)
_CLASSES_DIR = 'classes'


def _declarations(text):
    """(package or None, [(class name, is public)]) of a Java source."""
    text = _STRING.sub('""', _COMMENT.sub(' ', text))
    package = _PACKAGE.search(text)
    classes = [(m.group('name'), 'public' in m.group('mods').split())
               for m in _CLASS.finditer(text)]
    return (package.group(1) if package else None), classes


def jvm_options(mem_limit_kib):
    """Options of a JVM that must live within ``mem_limit_kib``."""
    heap_kib = max(16384, int(mem_limit_kib * defaults.JVM_HEAP_SHARE))
    return ['-Xmx%dk' % heap_kib, '-Xss%dk' % defaults.JAVAC_STACK_KIB,
            '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1']


class SystemJava(Compiler):
    """Java, compiled by the system's javac into a jar (exec_info mode java)."""

    lang = 'java'
    extension = '.java'
    output = 'program.jar'
    address_space_limit = False
    #: The Java release the source must be written for (javac's
    #: ``--release``), or ``None``: the release of the installed javac.
    standard = None

    def source_name(self, original_name, path):
        # javac wants a public class in a file named after it.
        with open(path, encoding='utf-8', errors='replace') as f:
            _, classes = _declarations(f.read())
        public = [name for name, is_public in classes if is_public]
        if public:
            return public[0] + self.extension
        return super().source_name(original_name, path)

    def prepare(self, build):
        with open(build.source, encoding='utf-8', errors='replace') as f:
            package, classes = _declarations(f.read())
        public = [name for name, is_public in classes if is_public]
        names = public or [name for name, _ in classes] or [build.source[:-5]]
        main_class = names[0]
        build.notes['main_class'] = '%s.%s' % (package, main_class) if package else main_class

    def commands(self, build):
        jvm = ['-J' + option for option in jvm_options(build.mem_limit_kib)]
        release = ['--release', self.standard] if self.standard else []
        return [
            [defaults.JAVAC] + jvm + release + ['-encoding', 'UTF-8', '-d', _CLASSES_DIR]
            + build.extra_args + build.sources,
            [defaults.JAR] + jvm + ['--create', '--file', self.output,
                                    '--main-class', build.notes['main_class'],
                                    '-C', _CLASSES_DIR, '.'],
        ]

    def exec_info(self, build):
        return {'mode': 'java', 'main_class': build.notes['main_class']}
