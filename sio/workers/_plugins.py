"""Plugin lookup: entry points found once, kept in a persistent index.

Scanning the installed distributions with :mod:`importlib.metadata` costs
tens of milliseconds, more than starting Python.  So the ``sio.*``
entry-point groups are scanned once and written to an index file in the
cache directory, keyed by the interpreter and its ``sys.path``.  The index
is trusted while every ``sys.path`` entry keeps its modification time:
installing or removing a distribution adds or removes a ``*.dist-info``
directory there, which changes the time and triggers a rescan.  A name the
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

_INDEX_VERSION = 1

# group -> {name: (value, distribution)}; None until first needed.
_groups = None
# Whether _groups comes from a scan in this process (then it is not stale).
_fresh = False
# (group, name) -> loaded object
_loaded = {}


def _signature():
    """``[path, mtime]`` of every absolute ``sys.path`` entry that exists.

    Relative entries (``''`` is the current directory) are left out: their
    meaning changes with the directory a job runs in.
    """
    stamps = []
    for path in dict.fromkeys(sys.path):
        if isinstance(path, str) and os.path.isabs(path):
            try:
                stamps.append([path, os.stat(path).st_mtime_ns])
            except OSError:
                pass
    return stamps


def _index_file(signature):
    key = '\0'.join([sys.executable] + [path for path, _ in signature])
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


def _read_index(path, signature):
    try:
        with open(path, encoding='utf-8') as f:
            data = _jsonio.loads(f.read())
        if data.get('version') == _INDEX_VERSION and data.get('signature') == signature:
            return {
                group: {name: tuple(spec) for name, spec in entries.items()}
                for group, entries in data['groups'].items()
            }
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        pass
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
    _write_index(_index_file(signature), signature, _groups)
    return _groups


def _index():
    global _groups
    if _groups is None:
        signature = _signature()
        _groups = _read_index(_index_file(signature), signature)
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
