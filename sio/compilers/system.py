"""Compilers of the system toolchain: C and C++ (GCC) and Pascal (FPC).

Programs are linked statically, so that they run the same in any sandbox,
with or without the system's libraries, and stripped of their symbols.
The names they are registered under, and the standard each name stands
for, are in :mod:`sio.compilers.names`.
"""

from sio.compilers import defaults
from sio.compilers.base import Compiler


class SystemGcc(Compiler):
    """C, compiled by the system's gcc (GNU C17, -O2, static)."""

    lang = 'c'
    extension = '.c'
    program = defaults.GCC
    #: The value of ``-std=``.
    standard = 'gnu17'
    optimisation = '-O2'
    libraries = ('-lm',)

    def commands(self, build):
        return [[self.program, '-std=' + self.standard, self.optimisation, '-static', '-s']
                + build.extra_args + ['-o', self.output] + build.sources
                + list(self.libraries)]


class SystemGxx(SystemGcc):
    """C++, compiled by the system's g++ (ISO C++20, -O2, static)."""

    lang = 'cpp'
    extension = '.cpp'
    program = defaults.GXX
    standard = 'c++20'


class SystemFpc(Compiler):
    """Pascal, compiled by the system's Free Pascal (-O2, static)."""

    lang = 'pas'
    extension = '.pas'
    # Units in additional_sources are found by the compiler beside the
    # program, through its 'uses' clause.
    links_additional_sources = False

    def commands(self, build):
        # -XS links statically, -Xs strips, -l- drops the banner.
        return [[defaults.FPC, '-O2', '-XS', '-Xs', '-l-'] + build.extra_args
                + ['-o' + self.output, build.source]]
