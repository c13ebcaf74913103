"""What a compiler is: the commands that build a program, and how to run it.

A compiler is a subclass of :class:`Compiler` registered as an entry point
in the group ``sio.compilers``.  The ``compile`` job does everything else:
it fetches the files, runs the commands under the compilation limits in the
job's temporary directory, checks and stores the result.
"""

import os
import re

# A source stored under a name like this is safe on any command line.
_SAFE_STEM = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.+-]*$')


class Build:
    """The files of one compilation, relative to the job's directory."""

    def __init__(self, source, additional_sources, extra_args, mem_limit_kib):
        #: The main source file.
        self.source = source
        #: The main source and the ``additional_sources``, in that order.
        self.sources = [source] + list(additional_sources)
        #: ``extra_compilation_args`` for this language, as a list.
        self.extra_args = list(extra_args)
        #: ``compilation_mem_limit``, for compilers that size a heap from it.
        self.mem_limit_kib = mem_limit_kib
        #: Set by the compiler in :meth:`Compiler.prepare` if it needs to.
        self.notes = {}


class Compiler:
    """A compiler of one language.  Subclasses set the attributes and
    override :meth:`commands`; the rest has sensible defaults."""

    #: Language code: chooses the entries of per-language keys such as
    #: ``additional_sources`` and ``extra_compilation_args``.
    lang = None
    #: Extension the source is stored with (compilers pick the language
    #: from it), e.g. ``'.c'``.
    extension = ''
    #: File the commands write, relative to the job's directory.
    output = 'program'
    #: Whether ``compilation_mem_limit`` is an address-space limit of every
    #: process.  If false, :meth:`commands` must bound the memory itself
    #: (a JVM's heap) and the job compares the peak resident memory with the
    #: limit afterwards.
    address_space_limit = True
    #: Whether the ``additional_sources`` are given to the commands; if
    #: not, they are only placed beside the source (Pascal units).
    links_additional_sources = True
    #: The name of a sandbox (see :mod:`sio.workers.sandbox`) holding this
    #: compiler, or ``None``: with one, the commands run isolated with the
    #: sandbox as their root file system, as with the environ key
    #: ``compilation_sandbox`` (which, when given, takes precedence).
    sandbox = None
    #: Whether the job needs ``out_file``; if not and none is given, the
    #: result is not stored and ``out_file`` is set to ``source_file``
    #: (only for a compiler whose :meth:`result` is the source unchanged).
    needs_out_file = True

    def source_name(self, original_name, path):
        """The name the source is stored under for compiling.

        ``original_name`` is the base name from ``source_file``, ``path``
        the downloaded file (to read, if the name depends on the text).
        """
        stem = os.path.splitext(original_name)[0]
        if not _SAFE_STEM.match(stem):
            stem = 'source'
        return stem + self.extension

    def prepare(self, build):
        """Called before :meth:`commands`, e.g. to read the source."""

    def commands(self, build):
        """Argument lists to run, in order, in the job's directory; the
        first that fails makes the compilation fail."""
        raise NotImplementedError

    def result(self, build):
        """The compiled program: a file in the job's directory."""
        return self.output

    def exec_info(self, build):
        """What the executors need to run :meth:`result`."""
        return {'mode': 'executable'}
