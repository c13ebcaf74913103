"""The helpers plugins written for the original sioworkers import.

A thin layer: each name keeps the original's signature and meaning, and
does its work with this project's own mechanisms.  What differs, and
why, is listed on the documentation page "The original's module surface".

* :func:`tempcwd`, :class:`TemporaryCwd`: the job's directory is the one
  :func:`sio.workers.run` made (:func:`sio.workers.current_job`), and it is
  also the current directory, so relative paths and ``tempcwd()`` agree;
  :class:`TemporaryCwd` makes a fresh one and changes into it.
* :func:`first_entry_point`: :func:`sio.workers.plugins.load`.
* time conversions, :func:`path_join_abs`, :func:`replace_invalid_UTF`,
  :func:`json_dumps`, :func:`decode_fields`, :func:`null_ctx_manager`,
  :class:`RegisteredSubclassesBase` and the small file helpers.
"""

import contextlib
import errno
import json
import logging
import os
import stat
import threading
import time

from sio.workers import _tempdir, plugins
from sio.workers.context import current_job
from sio.workers.exceptions import PluginError

logger = logging.getLogger(__name__)

#: Per-thread state, as in the original: ``tmpdir`` is the directory a
#: :class:`TemporaryCwd` made (it takes precedence over the job's own).
threadlocal_dir = threading.local()


def first_entry_point(group, name=None):
    """The object registered as ``name`` in the entry-point ``group``.

    Raises :class:`RuntimeError` (a :class:`~sio.workers.PluginError`, so
    ``run()`` records the message naming the plugin) when there is none.
    """
    try:
        return plugins.load(group, name)
    except PluginError as e:
        raise EntryPointNotFound(str(e)) from None


class EntryPointNotFound(PluginError, RuntimeError):
    """No loadable entry point of that name: the original raised
    :class:`RuntimeError` here, this is both."""


class PerfTimer:
    """Seconds of wall-clock time since it was made (:attr:`elapsed`)."""

    def __init__(self):
        self.start_time = time.time()

    @property
    def elapsed(self):
        return time.time() - self.start_time


def s2ms(seconds):
    """Seconds to whole milliseconds (rounded down): ``s2ms(1.95) == 1950``."""
    return int(1000 * seconds)


def ms2s(milliseconds):
    """Milliseconds to seconds, a float: ``ms2s(1190) == 1.19``."""
    return milliseconds / 1000.0


def ceil_ms2s(milliseconds):
    """Whole seconds covering ``milliseconds``: 1000 -> 1, 1001 -> 2."""
    return int((milliseconds + 999) // 1000)


class Writable:
    """Within the ``with`` block the file is writable by its owner; its
    mode is restored afterwards.  Nesting is fine; concurrent use is not."""

    def __init__(self, fname):
        self.fname = fname
        self.orig_mode = os.stat(fname).st_mode
        self.change_needed = not self.orig_mode & stat.S_IWUSR

    def __enter__(self):
        if self.change_needed:
            os.chmod(self.fname, self.orig_mode | stat.S_IWUSR)
        return self

    def __exit__(self, *exc):
        if self.change_needed:
            os.chmod(self.fname, self.orig_mode)


def rmtree(path):
    """Removes a tree, read-only entries included."""
    _tempdir.remove(path)


def mkdir(name):
    """Makes ``name`` and its parents (mode 0700); an existing one is fine."""
    try:
        os.makedirs(name, 0o700)
    except OSError as e:
        if e.errno != errno.EEXIST:
            raise


def is_exe(path):
    """Whether ``path`` is a regular file this process may execute."""
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _job_dir():
    made = getattr(threadlocal_dir, 'tmpdir', None)
    if made is not None:
        return made
    job = current_job()
    if job is not None:
        return job.work_dir
    return os.getcwd()


def tempcwd(path=None):
    """``path`` inside the job's directory (the directory itself without
    one); an absolute ``path`` is returned as it is, so applying it twice
    is harmless."""
    if path is not None and os.path.isabs(path):
        return path
    directory = _job_dir()
    return os.path.join(directory, path) if path else directory


class TemporaryCwd:
    """A fresh directory for the ``with`` block, removed afterwards.

    Inside, :func:`tempcwd` names it (or its ``inner_directory``, which is
    made too) and it is the current directory; both are restored on exit.
    """

    def __init__(self, inner_directory=None):
        self.extra = inner_directory
        self.path = None
        self.old_path = None
        self._old_cwd = None

    def __enter__(self):
        self.path = _tempdir.make()
        where = self.path
        if self.extra:
            where = os.path.join(self.path, self.extra)
            os.mkdir(where)
        self.old_path = getattr(threadlocal_dir, 'tmpdir', None)
        threadlocal_dir.tmpdir = where
        try:
            self._old_cwd = os.getcwd()
        except OSError:
            self._old_cwd = None
        os.chdir(where)
        return self

    def __exit__(self, *exc):
        threadlocal_dir.tmpdir = self.old_path
        try:
            os.chdir(self._old_cwd or '/')
        except OSError:
            os.chdir('/')
        _tempdir.remove(self.path)


def path_join_abs(base, subpath):
    """``subpath`` (absolute or not) placed under ``base``:
    ``path_join_abs('/usr', '/bin/sh') == '/usr/bin/sh'``."""
    return os.path.join(base, subpath.strip(os.sep))


def replace_invalid_UTF(a_string):  # noqa: N802 -- the original's name
    """Text with every invalid UTF-8 sequence replaced (bytes are decoded)."""
    if isinstance(a_string, (bytes, bytearray)):
        return bytes(a_string).decode('utf-8', 'replace')
    return a_string.encode('utf-8', 'replace').decode('utf-8')


class CompatibleJSONEncoder(json.JSONEncoder):
    """Encodes bytes (ASCII) as strings."""

    def default(self, obj):
        if isinstance(obj, bytes):
            return obj.decode('ascii')
        return super().default(obj)


def json_dumps(obj, **kwargs):
    """:func:`json.dumps` that also accepts bytes values."""
    kwargs.setdefault('cls', CompatibleJSONEncoder)
    return json.dumps(obj, **kwargs)


def decode_fields(fields):
    """A decorator: the named keys of the dict the function returns are
    decoded to text when they are bytes."""

    def decorator(func):
        def wrapper(*args, **kwargs):
            result = func(*args, **kwargs)
            for field in fields:
                if isinstance(result[field], (bytes, bytearray)):
                    result[field] = bytes(result[field]).decode()
            return result

        wrapper.__name__ = func.__name__
        wrapper.__doc__ = func.__doc__
        wrapper.__wrapped__ = func
        return wrapper

    return decorator


def null_ctx_manager():
    """A context manager that does nothing."""
    return contextlib.nullcontext()


class ClassInitMeta(type):
    """Calls the new class's ``__classinit__`` once it is made."""

    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls.__classinit__()


class ClassInitBase(metaclass=ClassInitMeta):
    """A base whose subclasses get ``__classinit__`` called on creation."""

    @classmethod
    def __classinit__(cls):
        """Nothing here; subclasses hook in (see the original's docs)."""


class RegisteredSubclassesBase(ClassInitBase):
    """Every class derived from one of these knows its concrete
    descendants in ``subclasses``.

    A class that sets ``abstract = True`` in its own body is left out.  A
    superclass with a ``register_subclass`` class method has it called
    with each registered descendant (and with itself, when concrete).
    """

    @classmethod
    def __classinit__(cls):
        base = globals().get('RegisteredSubclassesBase')
        if base is None or cls is base:
            return  # the base class itself, still being defined
        if 'subclasses' in cls.__dict__:
            raise AssertionError('%s defines subclasses itself, which its base '
                                 'RegisteredSubclassesBase maintains' % cls.__name__)
        cls.subclasses = []
        cls.abstract = cls.__dict__.get('abstract', False)
        klass = cls
        while klass is not base:
            if not cls.abstract:
                klass.subclasses.append(cls)
                if hasattr(klass, 'register_subclass'):
                    klass.register_subclass(cls)
            klass = _registered_parent(klass, base)


def _registered_parent(klass, base):
    parents = [c for c in klass.__bases__ if issubclass(c, base)]
    if len(parents) > 1:
        raise AssertionError('%s derives from more than one RegisteredSubclassesBase'
                             % klass.__name__)
    return parents[0]


__all__ = [
    'CompatibleJSONEncoder', 'ClassInitBase', 'ClassInitMeta', 'EntryPointNotFound',
    'PerfTimer', 'RegisteredSubclassesBase', 'TemporaryCwd', 'Writable', 'ceil_ms2s',
    'decode_fields', 'first_entry_point', 'is_exe', 'json_dumps', 'mkdir', 'ms2s',
    'null_ctx_manager', 'path_join_abs', 'replace_invalid_UTF', 'rmtree', 's2ms',
    'tempcwd', 'threadlocal_dir',
]
