"""Running a compiler's commands under the compilation limits."""

import os
import shutil
import signal

from sio.compilers import defaults
from sio.workers.exceptions import Failure


class Outcome:
    """What the commands printed, and whether they built the program."""

    def __init__(self):
        self.ok = True
        #: The compiler's output, decoded.
        self.output = ''
        #: Why the compilation failed when the output may not say it.
        self.note = None


def _program_path(program, sandbox=None):
    """Where ``program`` is: on the machine, or (with a sandbox) the path
    inside the sandbox's root at which the isolated compiler finds it."""
    if sandbox is not None:
        return _path_in_sandbox(program, sandbox)
    path = shutil.which(program, path=defaults.SYSTEM_PATH)
    if path is None:
        package = defaults.DEBIAN_PACKAGES.get(program)
        hint = (" (install the Debian package '%s')" % package) if package else ''
        raise Failure('compiler program %r is not installed%s' % (program, hint))
    return path


def _path_in_sandbox(program, sandbox):
    if program.startswith('/'):
        candidates = [program]
    else:
        candidates = [os.path.join(folder, program)
                      for folder in defaults.SYSTEM_PATH.split(':')]
    for candidate in candidates:
        # lexists: a link is resolved inside the sandbox, not here.
        if os.path.lexists(os.path.join(sandbox.path, candidate.lstrip('/'))):
            return candidate
    raise Failure('compiler program %r is not in sandbox %r (looked for %s)'
                  % (program, sandbox.name, ', '.join(candidates)))


def _process_limits(compiler, limits):
    from sio.workers.process import Limits

    return Limits(
        cpu_ms=limits['cpu_ms'],
        wall_ms=limits['wall_ms'],
        memory_kib=limits['mem_limit_kib'] if compiler.address_space_limit else None,
        file_size_bytes=file_size_limit(limits),
    )


def file_size_limit(limits):
    """``RLIMIT_FSIZE`` of the compiler: room for its temporary files, yet
    a program far over ``compilation_result_size_limit`` is stopped early
    (the exact limit is checked on the result)."""
    size_limit = limits['result_size_limit']
    if size_limit is None:
        return defaults.COMPILER_FILE_SIZE_LIMIT
    return min(defaults.COMPILER_FILE_SIZE_LIMIT,
               max(2 * size_limit, defaults.COMPILER_FILE_SIZE_FLOOR))


def run_commands(compiler, build, limits, box, sandbox=None):
    """Runs ``compiler.commands(build)`` in order, stopping at a failure,
    isolated as ``box``'s slot user (a :class:`~sio.workers.untrusted.Box`)
    with ``box`` as their working directory; with a
    :class:`~sio.workers.sandbox.Sandbox`, the sandbox is their root file
    system."""
    from sio.workers.process import Isolation, run_program

    cwd = box.path
    env = {'PATH': defaults.SYSTEM_PATH, 'LANG': 'C.UTF-8', 'HOME': cwd, 'TMPDIR': cwd}
    process_limits = _process_limits(compiler, limits)
    outcome = Outcome()
    # Beside the box, not in it: the compiler writes it through a
    # descriptor and cannot replace it.
    output_path = os.path.join(os.path.dirname(cwd), defaults.COMPILER_OUTPUT_FILE)
    with open(output_path, 'wb'):
        pass
    isolation = Isolation(root=sandbox.path if sandbox is not None else None,
                          slot=box.slot)
    for argv in compiler.commands(build):
        argv = [_program_path(argv[0], sandbox)] + list(argv[1:])
        box.reopen()  # an earlier command may have shut it
        # Append mode: every command adds to the same output file.
        with open(output_path, 'ab') as out:
            result = run_program(argv, limits=process_limits, stdout=out.fileno(),
                                 stderr='stdout', env=env, cwd=cwd,
                                 isolation=isolation)
        note = _failure_note(compiler, result, limits)
        if note is not None:
            outcome.ok = False
            outcome.note = note or None
            break
    with open(output_path, 'rb') as f:
        outcome.output = f.read(defaults.COMPILER_OUTPUT_READ_LIMIT).decode(
            'utf-8', 'replace')
    os.unlink(output_path)
    if not outcome.ok and not outcome.note and not outcome.output.strip():
        outcome.note = 'compilation error: the compiler failed without saying why'
    return outcome


def _failure_note(compiler, result, limits):
    """``None`` if the command succeeded, else why it failed (``''`` when
    the compiler's own output says it)."""
    over_memory = result.memory_limit_exceeded or (
        not compiler.address_space_limit and result.mem_kib > limits['mem_limit_kib'])
    if result.cpu_limit_exceeded:
        return ('compilation error: the compiler exceeded compilation_time_limit '
                '(%d ms) and was stopped' % limits['cpu_ms'])
    if result.wall_limit_exceeded:
        return ('compilation error: the compiler exceeded compilation_real_time_limit '
                '(%d ms) and was stopped' % limits['wall_ms'])
    if over_memory:
        return ('compilation error: the compiler exceeded compilation_mem_limit '
                '(%d KiB)' % limits['mem_limit_kib'])
    if result.signal == signal.SIGXFSZ:
        return ('compilation error: the compiler wrote a file larger than %d bytes '
                'and was stopped' % (file_size_limit(limits) - 1))
    if result.signal is not None:
        return 'compilation error: the compiler was killed by signal %d' % result.signal
    if result.exit_code != 0:
        return ''
    return None


def cut_output(text, limit, note=None):
    """``text`` then ``note`` on a line of its own, in at most ``limit``
    bytes of valid UTF-8; the cut falls in ``text``, marked."""
    tail = ''
    if note:
        tail = ('' if not text or text.endswith('\n') else '\n') + note + '\n'
    data, tail_data = text.encode('utf-8'), tail.encode('utf-8')
    if len(data) + len(tail_data) <= limit:
        return text + tail
    marker = defaults.CUT_MARKER.encode('utf-8')
    room = limit - len(marker) - len(tail_data)
    if room < 0:
        kept = (data + tail_data)[:limit]
    else:
        kept = data[:room] + marker + tail_data
    # A character cut in half is dropped, so the result stays valid UTF-8.
    return kept.decode('utf-8', 'ignore')
