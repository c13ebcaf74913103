"""The files of a compilation: the source and what goes beside it."""

import os
import shlex

from sio.compilers.defaults import LANGUAGES
from sio.workers import ft
from sio.workers.exceptions import Failure


def _for_language(environ, key, lang):
    """``environ[key]``, or its entry for ``lang`` if it is an object."""
    value = environ.get(key)
    if isinstance(value, dict):
        value = value.get(lang)
    return value


def paths(environ, key, lang):
    """``additional_includes``/``additional_sources``: a list of paths."""
    return _list_for_language(environ, key, lang, 'a path, a list of paths',
                              lambda path: [path])


def compilation_args(environ, lang):
    """``extra_compilation_args`` for ``lang``: a list of arguments.

    A string is split as a shell would split it (quotes group words), but
    nothing is ever run through a shell.
    """
    key = 'extra_compilation_args'

    def split(value):
        try:
            return shlex.split(value)
        except ValueError as e:
            raise Failure('job %r: key %r: cannot split %r into arguments: %s'
                          % (environ.get('job_type'), key, value, e))

    return _list_for_language(environ, key, lang, 'a string, a list of strings', split)


def _list_for_language(environ, key, lang, forms, from_string):
    """``environ[key]`` for ``lang`` as a list of strings: a list as it is,
    a string as ``from_string`` makes it a list, nothing as ``[]``."""
    value = _for_language(environ, key, lang)
    if value is None:
        return []
    if isinstance(value, str):
        return from_string(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise Failure(
        'job %%r: key %%r must be %s, or an object keyed by language code (%%s) '
        'whose values are either, not %%r' % forms
        % (environ.get('job_type'), key, ', '.join(LANGUAGES), environ.get(key)))


def extra_files(environ):
    """``extra_files``: ``[(file name, path)]``."""
    value = environ.get('extra_files')
    if value is None:
        return []
    if not isinstance(value, dict) or not all(
            isinstance(v, str) for v in value.values()):
        raise Failure('job %r: key %r must be an object mapping file names to '
                      'paths, not %r' % (environ.get('job_type'), 'extra_files', value))
    return sorted(value.items())


def safe_name(environ, key, name, given=None):
    """``name`` if it is a relative path staying in the job's directory;
    an error names ``given``, the value ``name`` was made from, if any."""
    normal = os.path.normpath(name) if name else ''
    if (not normal or normal == '.' or os.path.isabs(normal)
            or normal.split(os.sep)[0] == '..' or normal.startswith('-')):
        raise Failure('job %r: key %r: file name %r must be a relative path '
                      'inside the compilation directory'
                      % (environ.get('job_type'), key, name if given is None else given))
    return normal


def fetch(environ, key, path, dest):
    """Downloads ``path`` (a value found under ``key``) to ``dest``."""
    return ft.download(dict(environ, **{key: path}), key, dest)


def place_beside_source(environ, lang, source):
    """Fetches the includes, additional sources and extra files into the
    job's directory; returns the additional sources' names."""
    taken = {source: 'source_file'}

    def claim(key, given):
        name = safe_name(environ, key, os.path.basename(given), given)
        if name in taken:
            raise Failure('job %r: key %r: file name %r is already taken by %r'
                          % (environ.get('job_type'), key, name, taken[name]))
        taken[name] = key
        return name

    for path in paths(environ, 'additional_includes', lang):
        fetch(environ, 'additional_includes', path,
              claim('additional_includes', path))
    sources = []
    for path in paths(environ, 'additional_sources', lang):
        name = claim('additional_sources', path)
        fetch(environ, 'additional_sources', path, name)
        sources.append(name)
    for name, path in extra_files(environ):
        # Under its last part only, as the original sioworkers places it.
        fetch(environ, 'extra_files', path, claim('extra_files', name))
    return sources
