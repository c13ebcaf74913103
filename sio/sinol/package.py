"""A sinol package on disk: its configuration, tests, programs and limits.

The rules are those of ``sinol-make``:

* the task id is ``sinol_task_id`` from ``config.yml``, else the name of
  the package's directory;
* a test is ``in/<id><group><suffix>.in`` (``abc1a.in``, ``abc0.in``,
  ``abc2ocen.in``); its group is the number after the id, except that
  tests whose name ends with ``ocen`` belong to group 0, the examples;
* a solution is ``prog/<id>[s|b][<number>][_<anything>].<ext>``; the model
  solution is ``prog/<id>.<ext>``; then come the other correct ones, the
  slow ones (``s``) and the bad ones (``b``);
* a test's time (ms) and memory (KiB) limits are, in order of preference,
  ``override_limits`` of the solution's language, then the package's
  own: each looks for ``time_limits``/``memory_limits`` keyed by the
  test's id (``1a``) or group (``1``), then ``time_limit``/``memory_limit``.
"""

import fnmatch
import os
import re

from sio.sinol import PackageError

#: Extensions of programs, in the order a model solution is chosen.
SOURCE_EXTENSIONS = ('cpp', 'cc', 'c', 'py', 'java', 'pas')
_LIMIT_KEYS = {'time': ('time_limit', 'time_limits'),
               'memory': ('memory_limit', 'memory_limits')}


def _read_yaml(path):
    import yaml

    try:
        with open(path, encoding='utf-8') as f:
            config = yaml.safe_load(f)
    except FileNotFoundError:
        raise PackageError('%s is not a sinol package: it has no config.yml'
                           % os.path.dirname(path)) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise PackageError('cannot read %s: %s' % (path, e)) from None
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise PackageError('%s: expected a mapping of settings' % path)
    return config


def _keys_as_text(value):
    """YAML reads ``1:`` as a number and ``1a:`` as text; both are ids."""
    if isinstance(value, dict):
        return {str(key): _keys_as_text(item) for key, item in value.items()}
    return value


class Test:
    """One test: its name (``abc1a``), id (``1a``), group and files."""

    def __init__(self, name, test_id, group, in_path, out_path):
        self.name, self.id, self.group = name, test_id, group
        self.in_path, self.out_path = in_path, out_path

    def __repr__(self):
        return '<Test %s>' % self.name


class Package:
    """A sinol package in the directory ``root``."""

    def __init__(self, root):
        if not os.path.isdir(root):
            raise PackageError('%s is not a sinol package: no such directory '
                               'or archive' % root)
        self.root = os.path.abspath(root)
        self.config = _keys_as_text(_read_yaml(os.path.join(self.root, 'config.yml')))
        self.task_id = str(self.config.get('sinol_task_id')
                           or os.path.basename(self.root))
        self.title = str(self.config.get('title', self.task_id))

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def _test_re(self, ext):
        return re.compile(r'^%s(([0-9]+)([a-z]?[a-z0-9]*))\.%s$'
                          % (re.escape(self.task_id), ext))

    def _test(self, in_name):
        match = self._test_re('in').match(in_name)
        if not match:
            return None
        test_id = match.group(1)
        group = 0 if test_id.endswith('ocen') else int(match.group(2))
        name = in_name[:-len('.in')]
        return Test(name, test_id, group, self.path('in', in_name),
                    self.path('out', name + '.out'))

    def tests(self, pattern=None):
        """The tests in ``in/`` (by group, then name), those whose name or id
        matches the shell pattern ``pattern`` if given."""
        names = os.listdir(self.path('in')) if os.path.isdir(self.path('in')) else []
        found = [test for test in map(self._test, names) if test is not None]
        if pattern:
            found = [test for test in found
                     if any(fnmatch.fnmatchcase(text, pattern)
                            for text in (test.name, test.id, test.name + '.in'))]
        return sorted(found, key=lambda test: (test.group, test.name))

    def groups(self, tests):
        return sorted({test.group for test in tests})

    def _programs(self):
        directory = self.path('prog')
        return sorted(os.listdir(directory)) if os.path.isdir(directory) else []

    def solution_key(self, name):
        """Model solution first, then other correct, slow, bad ones."""
        rest = os.path.splitext(name)[0][len(self.task_id):]
        kind = {'s': 1, 'b': 2}.get(rest[:1], 0)
        digits = re.match(r'[0-9]*', rest[1:] if kind else rest).group()
        return kind, int(digits or 0), name

    def solutions(self):
        """The file names of every solution in ``prog/``, model solution first."""
        pattern = re.compile(r'^%s[bs]?[0-9]*(_.*)?\.(%s)$'
                             % (re.escape(self.task_id), '|'.join(SOURCE_EXTENSIONS)))
        return sorted((name for name in self._programs() if pattern.match(name)),
                      key=self.solution_key)

    def program(self, role):
        """The path of ``prog/<id><role>.*`` (role ``chk``, ``ingen``,
        ``inwer``, or ``''`` for the model solution), or ``None``."""
        for ext in SOURCE_EXTENSIONS:
            name = '%s%s.%s' % (self.task_id, role, ext)
            if name in self._programs():
                return self.path('prog', name)
        return None

    def limit(self, kind, test, lang):
        """The ``kind`` (``'time'`` or ``'memory'``) limit of ``test`` for a
        program in ``lang``."""
        overrides = self.config.get('override_limits') or {}
        for settings in (overrides.get(lang) or {}, self.config):
            found = _limit_in(settings, kind, test)
            if found is not None:
                return found
        raise PackageError('config.yml gives no %s limit for test %s'
                           % (kind, test.name))

    def extra_files(self):
        """``extra_compilation_files``: file name -> its path in ``prog/``."""
        names = self.config.get('extra_compilation_files') or []
        found = {}
        for name in ([names] if isinstance(names, str) else names):
            path = self.path('prog', str(name))
            if not os.path.isfile(path):
                raise PackageError('extra_compilation_files: prog/%s does not exist'
                                   % name)
            found[os.path.basename(path)] = path
        return found

    def extra_args(self, lang):
        """``extra_compilation_args`` of ``lang``, and the files of ``prog/``
        they name (placed beside the source: the arguments name them so)."""
        args = (self.config.get('extra_compilation_args') or {}).get(lang) or []
        args = [args] if isinstance(args, str) else [str(arg) for arg in args]
        files = {arg: self.path('prog', arg) for arg in args
                 if '/' not in arg and os.path.isfile(self.path('prog', arg))}
        return args, files


def _limit_in(settings, kind, test):
    single, per_test = _LIMIT_KEYS[kind]
    table = settings.get(per_test) or {}
    for key in (test.id, str(test.group)):
        if key in table:
            return int(table[key])
    if settings.get(single) is not None:
        return int(settings[single])
    return None


def language(path):
    """The language code of a source: its extension in lower case."""
    return os.path.splitext(path)[1][1:].lower()
