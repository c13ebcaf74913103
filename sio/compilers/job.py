"""The ``compile`` job.

Compiles ``source_file`` into ``out_file``.

The compiler is untrusted code's first reader (``#include`` and
``.incbin`` read any file it can see), so it runs isolated, under the
compilation limits, as a slot user of its own (see
:mod:`sio.workers.process.slots`): it sees the machine's system
directories read-only (or a sandbox's, see ``compilation_sandbox``) and
the job's own folder of sources, the one place it can write, and nothing
else.  The compiled program is copied out of that folder only if it is
a regular file within its size bound.  A program that does not compile
is no failure of the job: ``result_code`` says ``CE`` and
``compiler_output`` says why.

Keys read:

``source_file`` (required)
    path of the source.
``out_file`` (required, except for ``output-only``)
    path where the compiled program is stored.  ``output-only`` without
    it stores nothing and returns ``source_file`` as ``out_file``, as the
    original sioworkers does.
``compiler``
    name of an entry point in the group ``sio.compilers``; by default
    ``default-<ext>``, ``<ext>`` being the source's extension in lower
    case (``a.CPP`` is compiled by ``default-cpp``).
``compilation_time_limit``
    CPU time of the compiler in ms (default 30000).
``compilation_real_time_limit``
    wall-clock time of the compiler in ms (default twice the CPU limit
    and 5 seconds more).
``compilation_mem_limit``
    memory of the compiler in KiB (default 524288): an address-space
    limit of each of its processes; for Java, the JVM's heap is sized
    from it and its peak resident memory is compared with it.
``compilation_output_limit``
    ``compiler_output`` is cut to this many bytes (default 5120).
``compilation_result_size_limit``
    a compiled program larger than this many bytes is a ``CE`` saying
    so (default: no limit).
``additional_includes``
    files placed beside the source (headers, Pascal include files): a
    path, a list of paths, or an object keyed by language code (``c``,
    ``cpp``, ``pas``, ``java``, ``py``) whose values are either.
``additional_sources``
    like ``additional_includes``, and also compiled and linked with the
    source (Pascal finds them itself as units).
``extra_files``
    an object: file name -> path; each file is placed beside the
    source under the last part of that name (``lib/oi.h`` becomes
    ``oi.h``), as in the original sioworkers.
``additional_archive``
    path of a zip archive unpacked beside the source, its folders kept
    (OIOIOI sends a problem package's ``prog/`` folder): a member that
    would replace a file already placed (the source, an include...) or
    lie outside the compilation directory is left out, as in the
    original sioworkers; an archive holding links, devices, more than
    10000 members or more than 256 MiB is refused.
``extra_compilation_args``
    arguments added to the compiler's command line: a string (split
    into words as a shell would, but never run by one), a list, or an
    object keyed by language code whose values are either.
``compilation_sandbox``
    the name of a sandbox (see :mod:`sio.workers.sandbox`) holding the
    compiler: its commands then run with the sandbox as their whole
    root file system instead of the machine's system directories; the
    programs the compiler runs are looked up in the sandbox's
    ``/usr/local/bin``, ``/usr/bin`` and ``/bin``.  Default: the
    compiler's own :attr:`~sio.compilers.base.Compiler.sandbox`, if it
    names one; else the machine's system directories.

Keys written:

``result_code``
    ``OK`` or ``CE``.
``compiler_output``
    the compiler's standard output and error, valid UTF-8, cut to
    ``compilation_output_limit`` bytes; for a ``CE`` caused by a limit,
    it ends with a line saying which.
``exec_info``
    only for ``OK``: what the exec jobs need to run the program:
    ``{"mode": "executable"}`` (C, C++, Pascal), ``{"mode": "java",
    "main_class": NAME}`` (a jar), ``{"mode": "python"}`` (the script
    itself) or ``{"mode": "output-only"}``.
``out_file``
    the name the program was stored under (unchanged for local files);
    ``source_file`` for ``output-only`` without ``out_file``.
"""

import os

from sio.compilers import _archive, _files, _running, defaults
from sio.compilers.base import Build, Compiler
from sio.workers import ft, sandbox
from sio.workers.defaults import COMPILERS_GROUP
from sio.workers.exceptions import Failure, PluginError
from sio.workers.keys import limit, optional, required
from sio.workers.untrusted import Box, UnsafeFile, copy_out, open_regular

#: The folder of the job's directory where the compiler runs: the sources,
#: owned by the compiler's slot user, the one place it can write.
_SOURCES_DIR = 'sources'

SANDBOX_KEY = 'compilation_sandbox'


def run(environ):
    """Compiles ``source_file`` into ``out_file``.

    Its keys: see the module.
    """
    source_file = required(environ, 'source_file', str)
    compiler = _load_compiler(environ, source_file)
    if not isinstance(compiler, Compiler):
        return compiler(environ)  # a compiler that is a job of its own
    if compiler.needs_out_file or environ.get('out_file') is not None:
        required(environ, 'out_file', str)
    limits = _limits(environ)
    job_dir = os.getcwd()
    with Box(job_dir, _SOURCES_DIR) as box:
        os.chdir(box.path)
        try:
            build = _prepare(environ, compiler, source_file, limits['mem_limit_kib'])
            outcome = _compile(environ, compiler, build, limits, source_file, box)
            program = None
            if outcome.ok:
                program, outcome.note = _take_result(compiler, build, limits, job_dir)
        finally:
            os.chdir(job_dir)
    environ['compiler_output'] = _running.cut_output(
        outcome.output, limits['output_limit'], outcome.note)
    if not outcome.ok or outcome.note:
        environ['result_code'] = defaults.COMPILATION_ERROR
        environ.pop('exec_info', None)
        return environ
    if environ.get('out_file') is None:
        environ['out_file'] = source_file  # the answer is stored already
    else:
        ft.upload(environ, 'out_file', program)
    environ['result_code'] = defaults.OK
    environ['exec_info'] = compiler.exec_info(build)
    return environ


def _compile(environ, compiler, build, limits, source_file, box):
    with sandbox.named_in(environ, SANDBOX_KEY, compiler.sandbox,
                          'compiler %r' % compiler_name(environ, source_file)) as root:
        return _running.run_commands(compiler, build, limits, box, root)


def compiler_name(environ, source_file):
    """The ``compiler`` key, or ``default-<ext>`` from the source."""
    name = optional(environ, 'compiler', None, str)
    if name:
        return name
    extension = os.path.splitext(os.path.basename(source_file))[1].lower().lstrip('.')
    if not extension:
        raise Failure("job %r: cannot choose a compiler for source_file %r: it has "
                      "no extension; name one in key 'compiler'"
                      % (environ.get('job_type'), source_file))
    return defaults.DEFAULT_COMPILER_PREFIX + extension


def _load_compiler(environ, source_file):
    from sio.workers import plugins

    name = compiler_name(environ, source_file)
    try:
        loaded = plugins.load(COMPILERS_GROUP, name)
    except PluginError as e:
        if environ.get('compiler'):
            raise
        raise PluginError('no compiler for the extension of source_file %r: %s'
                          % (source_file, e))
    if isinstance(loaded, type) and issubclass(loaded, Compiler):
        return loaded()
    if isinstance(loaded, Compiler) or callable(loaded):
        return loaded
    raise PluginError('compiler %r is neither a Compiler subclass nor a function'
                      % name)


def _limits(environ):
    cpu = limit(environ, 'compilation_time_limit', defaults.COMPILATION_TIME_LIMIT)
    return {
        'cpu_ms': cpu,
        'wall_ms': limit(environ, 'compilation_real_time_limit',
                         cpu * defaults.REAL_TIME_FACTOR + defaults.REAL_TIME_MARGIN_MS),
        'mem_limit_kib': limit(environ, 'compilation_mem_limit',
                               defaults.COMPILATION_MEM_LIMIT),
        'output_limit': limit(environ, 'compilation_output_limit',
                              defaults.COMPILATION_OUTPUT_LIMIT, allow_zero=True),
        'result_size_limit': limit(environ, 'compilation_result_size_limit', None),
    }


def _prepare(environ, compiler, source_file, mem_limit_kib):
    downloaded = ft.download(environ, 'source_file', '.source-download')
    source = _files.safe_name(environ, 'source_file', compiler.source_name(
        os.path.basename(source_file), downloaded))
    os.replace(downloaded, source)
    additional = _files.place_beside_source(environ, compiler.lang, source)
    _archive.unpack_beside_source(environ)
    build = Build(source, additional if compiler.links_additional_sources else [],
                  _files.compilation_args(environ, compiler.lang), mem_limit_kib)
    compiler.prepare(build)
    return build


def _take_result(compiler, build, limits, job_dir):
    """``(path, None)`` of the worker's copy of the compiled program, or
    ``(None, why it cannot be used)``.  It is read from the folder the
    compiler wrote in without following links, and only if it is a
    regular file within ``compilation_result_size_limit`` (else within the
    size any file of the compiler could reach)."""
    result = compiler.result(build)
    size_limit = limits['result_size_limit']
    bound = size_limit if size_limit is not None else _running.file_size_limit(limits)
    target = os.path.join(job_dir, os.path.basename(result))
    try:
        copy_out(os.getcwd(), result, target, bound, mode=0o755)
    except UnsafeFile as e:
        if e.why.startswith('is larger') and size_limit is not None:
            return None, ('compilation error: the compiled program has %d bytes, more '
                          'than compilation_result_size_limit (%d bytes)'
                          % (_size(result), size_limit))
        if e.why.startswith('does not exist'):
            return None, 'compilation error: the compiler produced no program'
        return None, 'compilation error: the compiled program %s' % e.why
    return target, None


def _size(name):
    fd = open_regular(os.getcwd(), name)
    try:
        return os.fstat(fd).st_size
    finally:
        os.close(fd)
