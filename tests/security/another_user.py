"""Running tests of this checkout as another user of the machine.

That user may not be able to read the checkout, its virtual environment or
the Python it was made from (a Python built in root's home, say).  So
everything the tests need is laid out afresh in a folder of its own: the
interpreter and its standard library, the environment's packages, its
console scripts and the test plugins, and the sources of ``sio`` and
``tests``.  Files are hard links where the file system allows (the
originals are read-only to that user), else copies; the compiled
modules of the interpreter and the packages come along, still valid.
"""

import compileall
import os
import shutil
import stat
import sys

#: The checkout this file is in.
CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_VERSION = 'python%d.%d' % sys.version_info[:2]
_SKIPPED = {'site-packages', 'dist-packages', 'test', 'idlelib', 'tkinter',
            'turtledemo', 'ensurepip'}


def _place(source, target):
    """A hard link of ``source`` at ``target``, or a copy readable by all."""
    info = os.lstat(source)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(source), target)
        return
    if info.st_mode & stat.S_IROTH:
        try:
            os.link(source, target)
            return
        except OSError:
            pass
    shutil.copy2(source, target)
    os.chmod(target, 0o755 if info.st_mode & stat.S_IXUSR else 0o644)


def _lay(source, target, skipped=()):
    """``source``'s tree at ``target``: folders made anew (0755), files
    placed; names in ``skipped`` left out at every level."""
    os.makedirs(target, mode=0o755, exist_ok=True)
    os.chmod(target, 0o755)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.name in skipped:
                continue
            inside = os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                _lay(entry.path, inside, skipped)
            else:
                _place(entry.path, inside)


def _interpreter(python):
    """This process's Python at ``python``: the executable, the shared
    library beside it (if any), the standard library (without its tests)."""
    executable = os.path.realpath(sys.executable)
    os.makedirs(os.path.join(python, 'bin'), mode=0o755)
    os.makedirs(os.path.join(python, 'lib'), mode=0o755)
    _place(executable, os.path.join(python, 'bin', _VERSION))
    for name in ('python', 'python3'):
        os.symlink(_VERSION, os.path.join(python, 'bin', name))
    base_lib = os.path.join(sys.base_prefix, 'lib')
    for name in sorted(os.listdir(base_lib)):
        if name.startswith('libpython') and '.so' in name:
            _place(os.path.join(base_lib, name), os.path.join(python, 'lib', name))
    stdlib = os.path.dirname(os.__file__)
    _lay(stdlib, os.path.join(python, 'lib', _VERSION),
         _SKIPPED | {n for n in os.listdir(stdlib) if n.startswith('config-')})


def _environment(python, src):
    """The environment's packages, test plugins and console scripts at
    ``python``; a line of a ``.pth`` file naming the checkout names
    ``src`` instead."""
    packages = os.path.join(python, 'lib', _VERSION, 'site-packages')
    venv_packages = os.path.join(sys.prefix, 'lib', _VERSION, 'site-packages')
    _lay(venv_packages, packages)
    for name in os.listdir(packages):
        if name.endswith('.pth'):
            path = os.path.join(packages, name)
            with open(path) as f:
                lines = f.read().splitlines()
            os.unlink(path)  # a link: never write through it
            with open(path, 'w') as f:
                f.write(''.join((src if line == CHECKOUT else line) + '\n' for line in lines))
    plugins = os.path.join(sys.prefix, 'test-plugins')
    if os.path.isdir(plugins):
        _lay(plugins, os.path.join(python, 'test-plugins'), {'__pycache__'})
    interpreter = os.path.join(python, 'bin', _VERSION)
    for name in sorted(os.listdir(os.path.join(sys.prefix, 'bin'))):
        script = os.path.join(sys.prefix, 'bin', name)
        if os.path.islink(script) or not os.path.isfile(script):
            continue
        with open(script, 'rb') as f:
            first, rest = f.readline(), f.read()
        if first.startswith(b'#!') and b'python' in first:
            with open(os.path.join(python, 'bin', name), 'wb') as f:
                f.write(b'#!' + interpreter.encode() + b'\n' + rest)
            os.chmod(os.path.join(python, 'bin', name), 0o755)


def lay_out(folder):
    """Everything the tests need, readable by all, in ``folder``: the path
    of the Python to run there, and the environment it needs."""
    python = os.path.join(folder, 'python')
    src = os.path.join(folder, 'src')
    _interpreter(python)
    _environment(python, src)
    os.makedirs(src, mode=0o755)
    for name in ('sio', 'tests'):
        _lay(os.path.join(CHECKOUT, name), os.path.join(src, name), {'__pycache__'})
    _place(os.path.join(CHECKOUT, 'pytest.ini'), os.path.join(src, 'pytest.ini'))
    # Compiled, as scripts/setup.sh compiles the checkout: that user's
    # processes could not write the compiled modules themselves.
    compileall.compile_dir(os.path.join(src, 'sio'), quiet=1)
    env = {'PYTHONDONTWRITEBYTECODE': '1',
           'PATH': '%s:/usr/local/bin:/usr/bin:/bin' % os.path.join(python, 'bin')}
    if any(n.startswith('libpython') for n in os.listdir(os.path.join(python, 'lib'))):
        env['LD_LIBRARY_PATH'] = os.path.join(python, 'lib')
    return os.path.join(python, 'bin', _VERSION), src, env
