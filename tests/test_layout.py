"""The shape of the code: no import cycles, private modules kept private,
modules and functions of a size a reader can take in."""

import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules():
    """Dotted name -> path of every module under sio/."""
    found = {}
    for directory, _, names in os.walk(os.path.join(ROOT, 'sio')):
        for name in names:
            if name.endswith('.py'):
                path = os.path.join(directory, name)
                dotted = os.path.relpath(path, ROOT)[:-3].replace(os.sep, '.')
                found[dotted[:-len('.__init__')] if dotted.endswith('.__init__')
                      else dotted] = path
    return found


MODULES = _modules()


def _package(name, path):
    return name if path.endswith('__init__.py') else name.rsplit('.', 1)[0]


def _imported(name, path, tree):
    """The project modules ``name`` imports, anywhere in it (functions too).

    ``from package import module`` imports that module (and runs the
    package, as every import of a submodule does, which is not counted).
    """
    package = _package(name, path)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                parts = package.split('.')[:len(package.split('.')) - node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            modules = [base + '.' + a.name for a in node.names
                       if base + '.' + a.name in MODULES]
            targets = modules + ([base] if len(modules) < len(node.names) else [])
        else:
            continue
        imported.update(t for t in targets if t in MODULES and t != name)
    return imported


def _trees():
    trees = {}
    for name, path in MODULES.items():
        with open(path, encoding='utf-8') as f:
            trees[name] = ast.parse(f.read(), path)
    return trees


TREES = _trees()
GRAPH = {name: _imported(name, MODULES[name], tree) for name, tree in TREES.items()}


def _cycle_from(start):
    """An import path from ``start`` back to itself, or ``None``."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for target in GRAPH[node]:
            if target == start:
                return path + [start]
            if target not in seen:
                seen.add(target)
                stack.append((target, path + [target]))
    return None


def test_the_layout_sees_the_whole_package():
    assert 'sio.workers.runner' in MODULES and 'sio.workers.process.running' in MODULES
    assert 'sio.workers.plugins' in GRAPH['sio.workers.runner']


def test_no_import_cycles():
    cycles = [' -> '.join(c) for c in map(_cycle_from, sorted(MODULES)) if c]
    assert not cycles, cycles


def test_private_modules_are_imported_only_from_their_own_package():
    wrong = []
    for name, targets in GRAPH.items():
        for target in targets:
            last = target.rsplit('.', 1)[-1]
            owner = target.rsplit('.', 1)[0]
            if last.startswith('_') and not last.startswith('__') \
                    and not (name == owner or name.startswith(owner + '.')):
                wrong.append('%s imports the private %s' % (name, target))
    assert not wrong, wrong


def test_the_cli_is_a_leaf_and_the_core_imports_no_plugin():
    wrong = []
    for name, targets in GRAPH.items():
        for target in targets:
            if target.startswith('sio.workers.cli') and not name.startswith('sio.workers.cli'):
                wrong.append('%s imports the command-line tool %s' % (name, target))
            if name.startswith('sio.workers') and not name.startswith('sio.workers.cli') \
                    and not target.startswith('sio.workers'):
                wrong.append('the core module %s imports the plugin %s' % (name, target))
    assert not wrong, wrong


def test_modules_and_functions_are_short():
    long = []
    for name, tree in TREES.items():
        with open(MODULES[name], encoding='utf-8') as f:
            lines = len(f.read().splitlines())
        if lines > MAX_MODULE_LINES:
            long.append('%s has %d lines' % (name, lines))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append('%s.%s has %d lines' % (name, node.name, length))
    assert not long, long
