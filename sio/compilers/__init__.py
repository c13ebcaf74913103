"""The ``compile`` job and its compilers.

The job (:mod:`sio.compilers.job`) does the common work: it fetches the
source and the files that go beside it, picks the compiler, runs it under
the compilation limits, checks the result and stores it.  A compiler
(:class:`sio.compilers.base.Compiler`) only says which commands build the
program and how the executors run it.  Compilers are entry points in the
group ``sio.compilers``.
"""
