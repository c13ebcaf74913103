"""Defaults, limits and names of the compile job, defined once."""

#: Values of ``environ['result_code']``.
OK = 'OK'
COMPILATION_ERROR = 'CE'

#: CPU time of the compiler, ms.
COMPILATION_TIME_LIMIT = 30000
#: Wall-clock time of the compiler when not given: this many times the CPU
#: limit plus the margin (compilers also read files, wait for their
#: sub-processes, and share the machine).
REAL_TIME_FACTOR = 2
REAL_TIME_MARGIN_MS = 5000
#: Memory of the compiler, KiB (an address-space limit per process).
COMPILATION_MEM_LIMIT = 524288
#: Bytes of compiler output kept in ``compiler_output``.
COMPILATION_OUTPUT_LIMIT = 5120
#: No file the compiler writes may grow past this many bytes: it must not
#: fill the disk...
COMPILER_FILE_SIZE_LIMIT = 256 * 1024 * 1024
#: ... but with ``compilation_result_size_limit`` given, files may still
#: grow to twice that, and at least to this (object files, temporaries).
COMPILER_FILE_SIZE_FLOOR = 16 * 1024 * 1024
#: Bytes of the compiler's output read back (the rest would only be cut).
COMPILER_OUTPUT_READ_LIMIT = 1024 * 1024
#: Appended to ``compiler_output`` when it was cut.
CUT_MARKER = '\n[compiler output cut]\n'

#: Language codes, the keys of the per-language objects
#: (``additional_sources``, ``extra_compilation_args``...).
LANGUAGES = ('c', 'cpp', 'pas', 'java', 'py')

#: ``compiler`` defaults to this prefix and the source's extension.
DEFAULT_COMPILER_PREFIX = 'default-'

#: ``additional_archive`` holds at most this many members, of at most
#: this many bytes in all once unpacked.
ARCHIVE_MEMBERS_LIMIT = 10000
ARCHIVE_SIZE_LIMIT = 256 * 1024 * 1024
#: Where a remote ``additional_archive`` is fetched to while it is unpacked.
ARCHIVE_DOWNLOAD = '.additional-archive'

#: Where the compiler's standard output and error go, in the job's
#: temporary directory.
COMPILER_OUTPUT_FILE = '.compiler-output'

#: Programs the system compilers run; found on the minimal ``PATH``.
GCC = 'gcc'
GXX = 'g++'
FPC = 'fpc'
JAVAC = 'javac'
JAR = 'jar'
PYTHON = 'python3'

#: The JVM of javac: part of the memory limit goes to its heap, the rest
#: is left for its own code, threads and metadata.
JVM_HEAP_SHARE = 0.75
#: The JVM of javac reserves far more address space than it uses, so
#: instead of an address-space limit its heap is bounded, and its peak
#: resident memory is compared with the limit after it has run.
JAVAC_STACK_KIB = 16384

#: ``PATH`` of the compilers: the system's toolchains only.
SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin'
#: The Debian package that provides each program a compiler runs.
DEBIAN_PACKAGES = {
    GCC: 'gcc',
    GXX: 'g++',
    FPC: 'fp-compiler',
    JAVAC: 'default-jdk-headless',
    JAR: 'default-jdk-headless',
    PYTHON: 'python3',
}
