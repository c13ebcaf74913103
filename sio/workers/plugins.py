"""Plugin lookup: entry points found once, kept in a persistent index.

Scanning the installed distributions with :mod:`importlib.metadata` costs
tens of milliseconds, more than starting Python.  So the ``sio.*``
entry-point groups are scanned once and written to an index file in the
cache directory, keyed by the interpreter and its ``sys.path``.  The index
records, for every ``sys.path`` directory, its modification time and its
distributions' metadata directories (``*.dist-info``, ``*.egg-info``) with
theirs.  Installing, upgrading or removing a distribution changes them and
triggers a rescan; other changes in a directory (a script directory, a
source checkout) cost one look at its listing.  A name the
index does not know, or an entry point that fails to import, also triggers
one rescan before an error is reported, so a stale index can only cost time.

Loaded objects are cached per process.
"""

import os
import sys
import zlib

from sio.workers import _jsonio
from sio.workers.defaults import GROUP_PREFIX, GROUP_TITLES, cache_dir
from sio.workers.exceptions import PluginError

_INDEX_VERSION = 2
# What a distribution's metadata directory is called, beside its packages.
_METADATA_SUFFIXES = ('.dist-info', '.egg-info')

# group -> {name: (value, distribution)}; None until first needed.
_groups = None
# Whether _groups comes from a scan in this process (then it is not stale).
_fresh = False
# (group, name) -> loaded object
_loaded = {}


def _path_entries():
    """Every absolute ``sys.path`` entry, once.

    Relative entries (``''`` is the current directory) are left out: their
    meaning changes with the directory a job runs in.
    """
    return [path for path in dict.fromkeys(sys.path)
            if isinstance(path, str) and os.path.isabs(path)]


def _mtime(path):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _metadata_listing(path):
    """``[[name, mtime]]`` of the distributions' metadata in ``path``."""
    try:
        names = os.listdir(path)
    except OSError:
        return []
    return sorted([name, _mtime(os.path.join(path, name))]
                  for name in names if name.endswith(_METADATA_SUFFIXES))


def _signature():
    return {path: {'mtime': _mtime(path), 'metadata': _metadata_listing(path)}
            for path in _path_entries()}


def _still_valid(recorded):
    """Whether no distribution was installed or removed since ``recorded``.

    A directory whose time is unchanged is unchanged.  One whose time
    changed (a script directory, a source checkout, /tmp) is looked into:
    only a change of its distributions' metadata counts.  The new times
    are written back so that the look happens once.
    """
    paths = _path_entries()
    if list(recorded) != paths:
        return False
    touched = False
    for path in paths:
        mtime = _mtime(path)
        if mtime == recorded[path]['mtime']:
            continue
        if _metadata_listing(path) != recorded[path]['metadata']:
            return False
        recorded[path]['mtime'] = mtime
        touched = True
    return 'touched' if touched else True


def _index_file():
    key = '\0'.join([sys.executable] + _path_entries())
    name = 'plugins-%08x.json' % zlib.crc32(key.encode('utf-8', 'replace'))
    return os.path.join(cache_dir(), name)


def _scan():
    """Every ``sio.*`` entry point of every installed distribution."""
    from importlib import metadata

    groups = {}
    for dist in metadata.distributions():
        try:
            dist_name = dist.metadata['Name'] or '?'
            entry_points = dist.entry_points
        except Exception:  # a broken distribution must not hide the others
            continue
        for ep in entry_points:
            if ep.group.startswith(GROUP_PREFIX):
                # The first distribution on sys.path wins, as for imports.
                groups.setdefault(ep.group, {}).setdefault(
                    ep.name, (ep.value, dist_name)
                )
    return groups


def _read_index(path):
    try:
        with open(path, encoding='utf-8') as f:
            data = _jsonio.loads(f.read())
        if data.get('version') != _INDEX_VERSION:
            return None
        valid = _still_valid(data['signature'])
        if not valid:
            return None
        groups = {
            group: {name: tuple(spec) for name, spec in entries.items()}
            for group, entries in data['groups'].items()
        }
        if valid == 'touched':
            _write_index(path, data['signature'], data['groups'])
        return groups
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None


def _write_index(path, signature, groups):
    data = {'version': _INDEX_VERSION, 'signature': signature, 'groups': groups}
    tmp = '%s.%d.tmp' % (path, os.getpid())
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(_jsonio.dumps(data))
        os.replace(tmp, path)
    except OSError:  # an unwritable cache only makes start-up slower
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _rescan():
    global _groups, _fresh
    signature = _signature()
    _groups = _scan()
    _fresh = True
    _write_index(_index_file(), signature, _groups)
    return _groups


def _index():
    global _groups
    if _groups is None:
        _groups = _read_index(_index_file())
        if _groups is None:
            _rescan()
    return _groups


def refresh():
    """Forget what was found and scan the installed distributions again."""
    _loaded.clear()
    return _rescan()


def entry_points(group):
    """``{name: (value, distribution)}`` of the entry points in ``group``."""
    return dict(_index().get(group, {}))


def groups():
    """Names of every ``sio.*`` group that has at least one entry point."""
    return sorted(_index())


def _import(value):
    module_name, _, attrs = value.partition(':')
    attrs = attrs.split('[', 1)[0].strip()
    module_name = module_name.strip()
    obj = __import__(module_name, fromlist=['_'])
    for attr in attrs.split('.') if attrs else ():
        obj = getattr(obj, attr)
    return obj


def _title(group):
    return GROUP_TITLES.get(group, 'plugin')


def load(group, name):
    """The object registered as ``name`` in ``group``, imported once.

    Raises :class:`PluginError` naming the plugin when it is unknown or
    cannot be imported; other plugins are not affected.
    """
    key = (group, name)
    try:
        return _loaded[key]
    except KeyError:
        pass
    spec = _index().get(group, {}).get(name)
    if spec is None and not _fresh:
        spec = _rescan().get(group, {}).get(name)
    if spec is None:
        known = ', '.join(sorted(_groups.get(group, {}))) or 'none'
        raise PluginError(
            'unknown %s %r: no entry point named %r in group %r (installed: %s)'
            % (_title(group), name, name, group, known)
        )
    try:
        obj = _import(spec[0])
    except Exception as first_error:
        if _fresh:
            raise _load_error(group, name, spec, first_error)
        spec = _rescan().get(group, {}).get(name)
        if spec is None:
            raise _load_error(group, name, (None, None), first_error)
        try:
            obj = _import(spec[0])
        except Exception as e:
            raise _load_error(group, name, spec, e)
    _loaded[key] = obj
    return obj


def _load_error(group, name, spec, error):
    value, dist = spec
    where = ' from %r (distribution %r)' % (value, dist) if value else ''
    return PluginError(
        '%s %r could not be loaded%s: %s: %s'
        % (_title(group), name, where, type(error).__name__, error)
    )
