"""The original's file runners: how a compiled file of each ``exec_info``
mode is run in a given executor (:mod:`sio.workers.executors`).

:func:`get_file_runner` picks the :class:`LanguageModeWrapper` registered
for the environ's ``exec_info['mode']`` and the executor's class.  The
wrappers build the command line only; the executor runs it.  This is the
original's table, for its plugins; the project's own jobs use
:mod:`sio.executors.modes`, which the core may not import.  The ``python``
mode (written by this project's ``compile``) is added.
"""

import os

from sio.workers import ft
from sio.workers.executors import (DetailedUnprotectedExecutor, PRoot32BitExecutor,
                                   PRootExecutor, RealTimeSio2JailExecutor,
                                   Sio2JailExecutor, SupervisedExecutor,
                                   UnprotectedExecutor)
from sio.workers.exceptions import Failure
from sio.workers.util import RegisteredSubclassesBase, tempcwd

#: Executors every native program runs in.
ALL_EXECUTORS = (UnprotectedExecutor, DetailedUnprotectedExecutor, PRootExecutor,
                 Sio2JailExecutor, RealTimeSio2JailExecutor, SupervisedExecutor)


class NoFileRunner(Failure, SystemError):
    """No wrapper runs that mode in that executor (the original raised
    :class:`SystemError`; this is also a :class:`~sio.workers.Failure`)."""


class LanguageModeWrapper(RegisteredSubclassesBase):
    """Runs a file of one ``exec_info`` mode in an executor.

    Subclasses set :attr:`handled_exec_mode` and :attr:`handled_executors`
    and are registered by being defined.
    """

    abstract = True
    #: The ``exec_info['mode']`` handled.
    handled_exec_mode = None
    #: The executor classes handled (exact classes, not their subclasses).
    handled_executors = ()

    @classmethod
    def __classinit__(cls):
        super(globals().get('LanguageModeWrapper', cls), cls).__classinit__()
        cls.wrappers = {}

    @classmethod
    def register_subclass(cls, subcls):
        if cls is not subcls:
            cls.wrappers.setdefault(subcls.handled_exec_mode, {}).update(
                {executor: subcls for executor in subcls.handled_executors})

    @classmethod
    def execution_mode_wrapper(cls, executor, environ):
        mode = environ['exec_info']['mode']
        try:
            runner = cls.wrappers[mode][type(executor)]
        except KeyError:
            raise NoFileRunner('no way of running a file of exec_info mode %r in %s'
                          % (mode, type(executor).__name__)) from None
        return runner(executor, environ)

    def __init__(self, executor, environ):
        self.executor = executor
        self.environ = environ

    def __enter__(self):
        self.executor.__enter__()
        return self

    def __exit__(self, *exc):
        self.executor.__exit__(*exc)

    def __call__(self, file, args, **kwargs):
        """Runs ``file`` with ``args``; the keyword arguments go to the
        executor; returns its ``renv``."""
        raise NotImplementedError

    def preferred_filename(self):
        """The name to download the file under."""
        raise NotImplementedError

    def _download_extra_execution_files(self, _dest='.', environ=None, **kwargs):
        """Places ``environ['extra_execution_files']`` ({name: path})
        beside the program."""
        environ = environ if environ is not None else {}
        for name, path in (environ.get('extra_execution_files') or {}).items():
            ft.download(dict(environ, _extra_execution_file=path),
                        '_extra_execution_file', tempcwd(os.path.join(_dest, name)),
                        add_to_cache=True)


class NoOp(LanguageModeWrapper):
    """Runs ``file`` as it is named (registered for no executor)."""

    handled_exec_mode = 'executable'

    def __call__(self, file, args, **kwargs):
        self._download_extra_execution_files(**kwargs)
        return self.executor([file] + list(args), **kwargs)

    def preferred_filename(self):
        return self.environ['exec_info'].get('preferred_filename', 'exe')


class Executable(LanguageModeWrapper):
    """A native program, run as ``./exe`` (or by its absolute path)."""

    handled_exec_mode = 'executable'
    handled_executors = ALL_EXECUTORS

    def __call__(self, file, args, **kwargs):
        command = file if os.path.isabs(file) else './%s' % file
        self._download_extra_execution_files(**kwargs)
        return self.executor([command] + list(args), **kwargs)

    def preferred_filename(self):
        return 'exe'


class _BaseJava(LanguageModeWrapper):
    abstract = True
    handled_exec_mode = 'java'

    def __init__(self, executor, environ):
        super().__init__(executor, environ)
        self.exec_info = self.environ['exec_info']

    def preferred_filename(self):
        return '%s.jar' % self.exec_info.get('main_class', 'a')


class Java(_BaseJava):
    """A jar, run by the system's ``java``; the memory limit becomes the
    JVM's heap (and stack) size, not an address-space limit."""

    handled_executors = (UnprotectedExecutor, DetailedUnprotectedExecutor,
                         PRootExecutor, PRoot32BitExecutor)

    def __call__(self, file, args, entry_point=None, **kwargs):
        environ = kwargs.get('environ') or {}
        prefix = kwargs.get('environ_prefix', 'exec')
        # As in the original, the limit is taken out of the environ so that
        # the executor does not apply it to the JVM's address space.
        mem_limit = environ.pop(prefix + 'mem_limit', kwargs.get('mem_limit'))
        options = []
        if mem_limit:
            options = ['-Xmx%dk' % mem_limit, '-Xms%dk' % mem_limit, '-Xss%dk' % mem_limit]
            kwargs['mem_limit'] = None
        entry_point = entry_point or self.exec_info.get('main_class')
        jar = self.executor.tempcwd_to_rcwd(file)
        command = ['java'] + options + (['-classpath', jar, entry_point] if entry_point
                                        else ['-jar', jar])
        self._download_extra_execution_files(**kwargs)
        return self.executor(command + list(args), **kwargs)


class JavaSIO(Java):
    """Java in the supervised executor: the system's ``java`` too (the
    original's ``compiler-java.1_8`` sandbox is not needed)."""

    handled_executors = (SupervisedExecutor,)


class Python(LanguageModeWrapper):
    """A Python 3 script (``exec_info`` mode ``python``, written by this
    project's ``compile``), run by the system's ``python3``."""

    handled_exec_mode = 'python'
    handled_executors = ALL_EXECUTORS

    def __call__(self, file, args, **kwargs):
        self._download_extra_execution_files(**kwargs)
        script = self.executor.tempcwd_to_rcwd(os.path.abspath(file))
        return self.executor(['python3', '-S', script] + list(args), **kwargs)

    def preferred_filename(self):
        return 'exe.py'


def get_file_runner(executor, environ):
    """The wrapper that runs ``environ``'s compiled file in ``executor``
    (``exec_info`` defaults to ``{"mode": "executable"}``)."""
    environ.setdefault('exec_info', {'mode': 'executable'})
    return LanguageModeWrapper.execution_mode_wrapper(executor, environ)


__all__ = ['Executable', 'Java', 'JavaSIO', 'LanguageModeWrapper', 'NoFileRunner', 'NoOp',
           'Python',
           'get_file_runner']
