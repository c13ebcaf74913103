"""Every compiler name the ``compile`` job knows, in one table.

Each row is one compiler: the class :mod:`sio.compilers.named` builds for
it, the language, the language standard, the optimisation level, and every
name under which it is registered (entry points in the group
``sio.compilers``, listed by ``setup.py`` from :func:`entry_points`).

Besides this project's own names, the table holds those of SIO2's original
``sioworkers`` 1.5.9, which OIOIOI sends: its system compilers
(``system-cc``, ``system-pas``...), its sandboxed compilers
(``gcc4_8_2_c99`` ... ``g++14_2_cpp23_amd64``, ``fpc2_6_2``, ``java1_8``)
and OIOIOI's ``python``, ``system-py`` and ``default-py``.  A name gets the
``-std`` (or, for Java, ``--release``) and the optimisation level the
original passes for it, with this machine's toolchain: the version in a
sandboxed name is not installed, the standard it names is what is kept.
So ``system-g++`` is ISO C++20 at ``-O2``, as the original's, while the
``default-*`` names and the bare language codes are the original's
newest sandboxed compilers (GNU C17, ISO C++23) at ``-O3``.

This module imports nothing: ``setup.py`` runs it from the source tree.
"""

#: (class, language, standard, optimisation, names).  ``standard`` is the
#: value of ``-std=`` for C and C++, of ``--release`` for Java; ``None``
#: where a compiler takes no such option (or keeps its own default).
TABLE = (
    ('SystemC17', 'c', 'gnu17', '-O2', ('system-gcc', 'system-c')),
    ('GnuC17', 'c', 'gnu17', '-O3', ('c', 'default-c', 'gcc14_2_0_c17')),
    ('IsoC17', 'c', 'c17', '-O3', ('gcc12_2_0_c17',)),
    ('GnuC99', 'c', 'gnu99', '-O3', ('gcc4_8_2_c99',)),
    ('SystemCxx20', 'cpp', 'c++20', '-O2', ('system-g++', 'system-cpp', 'system-cc')),
    ('Cxx23', 'cpp', 'c++23', '-O3',
     ('cpp', 'cc', 'default-cpp', 'default-cc', 'g++14_2_cpp23_amd64')),
    ('Cxx20', 'cpp', 'c++20', '-O3', ('g++12_2_cpp20_amd64',)),
    ('Cxx17', 'cpp', 'c++17', '-O3',
     ('g++8_3_cpp17', 'g++8_3_cpp17_amd64', 'g++10_2_cpp17_amd64')),
    ('Cxx14', 'cpp', 'c++14', '-O3', ('g++6_3_cpp14',)),
    ('Cxx11', 'cpp', 'c++11', '-O3', ('g++4_8_2_cpp11',)),
    ('Pascal', 'pas', None, None,
     ('system-fpc', 'system-pas', 'pas', 'default-pas', 'fpc2_6_2')),
    ('Java', 'java', None, None, ('system-java', 'java', 'default-java')),
    ('Java8', 'java', '8', None, ('java1_8',)),
    ('Python3', 'py', None, None,
     ('system-python', 'system-py', 'py', 'default-py', 'python')),
    ('AnswerFile', 'output-only', None, None, ('output-only',)),
)

#: The module holding the classes of :data:`TABLE`.
MODULE = 'sio.compilers.named'


def entry_points():
    """``name = module:class`` for every name in :data:`TABLE`."""
    return ['%s = %s:%s' % (name, MODULE, row[0])
            for row in TABLE for name in row[4]]
