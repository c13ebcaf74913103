"""Jobs and a compiler written the way a plugin author for the original
sioworkers wrote them: only the original's module surface is imported."""

import os

from sio.compilers.common import Compiler
from sio.executors import common
from sio.workers import ft
from sio.workers.execute import execute
from sio.workers.executors import (DetailedUnprotectedExecutor, Sio2JailExecutor,
                                   SupervisedExecutor)
from sio.workers.file_runners import get_file_runner
from sio.workers.util import TemporaryCwd, tempcwd


def detailed_exec(environ):
    return common.run(environ, DetailedUnprotectedExecutor(), use_sandboxes=False)


def jailed_exec(environ):
    return common.run(environ, Sio2JailExecutor())


def run_twice(environ):
    """Runs exe_file on in_file in a TemporaryCwd of its own, then lists
    the job's directory with execute()."""
    job_dir = tempcwd()
    with TemporaryCwd('inner'):
        environ['inner_is_cwd'] = tempcwd() == os.getcwd() != job_dir
        runner = get_file_runner(SupervisedExecutor(), environ)
        ft.download(environ, 'exe_file', runner.preferred_filename())
        ft.download(environ, 'in_file', 'in')
        with runner, open(tempcwd('in'), 'rb') as stdin:
            renv = runner(tempcwd(runner.preferred_filename()), [], stdin=stdin,
                          capture_output=True)
        environ['output'] = renv['stdout'].decode()
    environ['job_dir_is_cwd'] = tempcwd() == os.getcwd() == job_dir
    with open(tempcwd('mark'), 'w'):
        pass
    _, listing = execute(['ls', tempcwd()])
    environ['listing'] = listing.decode().split()
    return environ


class CCompiler(Compiler):
    lang = 'c'
    output_file = 'a.out'
    options = ['-O2', '-static', '-lm']

    def _make_cmdline(self, executor):
        return (['gcc', self.rcwd(self.source_file), '-o', self.rcwd(self.output_file)]
                + self.options + list(self.extra_compilation_args)
                + [self.rcwd(os.path.basename(s)) for s in self.additional_sources])


def run_gcc(environ):
    return CCompiler().compile(environ)
