"""The original's ``Compiler`` base class, for compilers written for it.

A compiler written for the original sioworkers subclasses
:class:`Compiler`, sets :attr:`~Compiler.lang` and
:attr:`~Compiler.output_file`, implements ``_make_cmdline(executor)`` and
is registered in ``sio.compilers`` as a function::

    class MyCompiler(Compiler):
        lang = 'c'
        output_file = 'a.out'

        def _make_cmdline(self, executor):
            return ['gcc', self.rcwd(self.source_file), '-o',
                    self.rcwd(self.output_file)] + list(self.extra_compilation_args)

    def run(environ):
        return MyCompiler().compile(environ)

The flow and its hooks are the original's (``_make_filename``,
``_process_extra_files``, ``_run_in_executor``, ``_execute``,
``_postprocess``); files come through :mod:`sio.workers.ft` and the
commands run in :mod:`sio.workers.executors`: unprotected, or with a
:attr:`~Compiler.sandbox`, isolated with the sandbox
``compiler-<sandbox>`` as the root file system.  New compilers are
better written for :mod:`sio.compilers.base`.
"""

import logging
import os
import zipfile

from sio.workers import ft
from sio.workers.executors import PRootExecutor, UnprotectedExecutor
from sio.workers.util import replace_invalid_UTF, tempcwd

logger = logging.getLogger(__name__)

DEFAULT_COMPILER_TIME_LIMIT = 30000  # ms
DEFAULT_COMPILER_MEM_LIMIT = 512 * 2**10  # KiB
DEFAULT_COMPILER_OUTPUT_LIMIT = 5 * 2**10  # bytes of compiler output kept


def _lang_option(environ, key, lang):
    """``environ[key]`` (or its entry for ``lang``) as a sequence."""
    value = environ.get(key, ())
    if isinstance(value, dict):
        value = value.get(lang, ())
    if isinstance(value, str):
        value = (value,)
    return value


def _extract_all(archive_path):
    """Unpacks the zip beside the source; entries leaving the directory or
    already there are skipped (with a warning)."""
    target = os.path.realpath(tempcwd())
    with zipfile.ZipFile(tempcwd(archive_path)) as archive:
        for name in archive.namelist():
            path = os.path.realpath(os.path.join(target, name.rstrip('/')))
            if os.path.exists(path):
                logger.warning('additional_archive: %s exists already, not unpacked', name)
            elif os.path.commonpath([path, target]) != target:
                logger.warning('additional_archive: %s is outside the directory, not '
                               'unpacked', name)
            else:
                archive.extract(name, target)


class Compiler:
    """The original's base of compilers; override attributes and hooks."""

    #: A sandbox name: commands then run isolated in ``compiler-<sandbox>``.
    sandbox = None
    #: Language code (``c``, ``cpp``, ``pas``...): picks per-language keys.
    lang = ''
    #: The file the commands write, relative to the job's directory.
    output_file = ''

    def __init__(self, sandbox=None, executor=PRootExecutor):
        if sandbox is not None:
            self.sandbox = sandbox
        if self.sandbox is None:
            self.executor = UnprotectedExecutor()
        else:
            self.executor = executor('compiler-' + self.sandbox)

    def rcwd(self, subpath=''):
        return self.executor.rcwd(subpath)

    def tempcwd_to_rcwd(self, path):
        return self.executor.tempcwd_to_rcwd(path)

    def compile(self, environ):
        """Compiles ``environ['source_file']``; returns the environ with
        ``result_code``, ``compiler_output`` and, for ``OK``,
        ``exec_info`` and the stored ``out_file``."""
        self.environ = environ
        # Keys the download helpers need go into a copy, not the result.
        self.tmp_environ = environ.copy()
        self.source_file = self._make_filename()
        ft.download(environ, 'source_file', tempcwd(self.source_file))
        self._process_extra_files()
        self.extra_compilation_args = _lang_option(environ, 'extra_compilation_args',
                                                   self.lang)
        with self.executor as executor:
            renv = self._run_in_executor(executor)
        return self._postprocess(renv)

    def _make_filename(self):
        return 'a.' + self.lang

    def _fetch(self, key, path, dest):
        self.tmp_environ[key] = path
        ft.download(self.tmp_environ, key, tempcwd(dest))

    def _process_extra_files(self):
        self.additional_includes = _lang_option(self.environ, 'additional_includes',
                                                self.lang)
        self.additional_sources = _lang_option(self.environ, 'additional_sources',
                                               self.lang)
        for include in self.additional_includes:
            self._fetch('additional_include', include, os.path.basename(include))
        for source in self.additional_sources:
            self._fetch('additional_source', source, os.path.basename(source))
        for name, path in (self.environ.get('extra_files') or {}).items():
            self._fetch('extra_file', path, os.path.basename(name))
        archive = self.environ.get('additional_archive')
        if archive:
            self._fetch('additional_archive', archive, os.path.basename(archive))
            _extract_all(os.path.basename(archive))

    def _make_cmdline(self, executor):
        raise NotImplementedError

    def _run_in_executor(self, executor):
        return self._execute(executor, self._make_cmdline(executor))

    def _execute(self, executor, cmdline, **kwargs):
        options = dict(
            time_limit=DEFAULT_COMPILER_TIME_LIMIT, mem_limit=DEFAULT_COMPILER_MEM_LIMIT,
            output_limit=DEFAULT_COMPILER_OUTPUT_LIMIT, ignore_errors=True,
            environ=self.tmp_environ, environ_prefix='compilation_',
            capture_output=True, forward_stderr=True)
        options.update(kwargs)
        return executor(cmdline, **options)

    def _postprocess(self, renv):
        self.environ['compiler_output'] = replace_invalid_UTF(renv['stdout'])
        size_limit = self.environ.get('compilation_result_size_limit')
        if renv['return_code']:
            self.environ['result_code'] = 'CE'
        elif size_limit is not None \
                and os.path.getsize(tempcwd(self.output_file)) > size_limit:
            self.environ['result_code'] = 'CE'
            self.environ['compiler_output'] = 'Compiled file size limit exceeded.'
        else:
            self.environ['result_code'] = 'OK'
            self.environ['exec_info'] = {'mode': 'executable'}
            ft.upload(self.environ, 'out_file', tempcwd(self.output_file))
        return self.environ


__all__ = ['Compiler', 'DEFAULT_COMPILER_MEM_LIMIT', 'DEFAULT_COMPILER_OUTPUT_LIMIT',
           'DEFAULT_COMPILER_TIME_LIMIT']
