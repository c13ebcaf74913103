"""``sio-judge PACKAGE [SOLUTION ...]``: judge solutions against a sinol package.

The package logic is in :mod:`sio.sinol`; this module reads the command
line, unpacks an archive, shows a progress bar and prints the report: the
grid of :mod:`sio.sinol.table` (tests x solutions: verdict, time, memory;
points per group and in total) and each solution's points against
``sinol_expected_scores``, or with ``--json`` the same as one JSON
document.
"""

import os
import shutil
import sys
import tempfile

from sio.workers.cli import EXIT_DONE, EXIT_FAILED, UsageError, parser, run_main

PROG = 'sio-judge'
DESCRIPTION = """\
Judges solutions against a sinol package (config.yml, in/, out/, prog/): compiles
them and the package's checker, runs every solution on every test with the
package's limits in parallel, and prints verdicts and points as sinol-make gives
them."""
EPILOG = """\
Inputs missing from in/ are generated with prog/<id>ingen.* (and checked with
prog/<id>inwer.*); outputs missing from out/ are made with the model solution
prog/<id>.*, written into the package's directory.

Exit status: 0 every solution judged (and as sinol_expected_scores expects),
1 a solution's points or statuses differ from the expected ones, or a job
failed, 2 an unusable command line or package."""


def make_parser():
    result = parser(PROG, DESCRIPTION, EPILOG)
    result.add_argument('package', metavar='PACKAGE',
                        help='the package: a directory or an archive (.zip, .tgz)')
    result.add_argument('solutions', metavar='SOLUTION', nargs='*',
                        help='solutions to judge: files of prog/ or paths '
                             '(default: every solution in prog/)')
    result.add_argument('-j', '--jobs', metavar='N', default='auto',
                        help="how many jobs run at once (default and 0 or 'auto': "
                             "one per core)")
    result.add_argument('--tests', metavar='PATTERN',
                        help="judge only the tests whose name or id matches this shell "
                             "pattern, e.g. 'abc1*' or '2?'")
    result.add_argument('--json', action='store_true',
                        help='print the report as one JSON document')
    result.add_argument('--generate', action='store_true',
                        help='run the generator prog/<id>ingen.* even if in/ has tests')
    result.add_argument('--verify', action='store_true',
                        help='check every input with the verifier prog/<id>inwer.*')
    result.add_argument('--job', metavar='JOB_TYPE', default='exec',
                        choices=('exec', 'cpu-exec', 'sio2jail-exec', 'unsafe-exec'),
                        help='the job that runs the solutions (default: exec)')
    return result


class Progress:
    """A tqdm bar on a terminal, for the solutions' runs."""

    def __init__(self, jobs):
        self.jobs, self.bar = jobs, None

    def start(self, total):
        from sio.workers.cli.batch_io import progress_bar

        self.bar = progress_bar(total)
        if self.bar is not None:
            self.bar.unit = 'run'
            self.jobs.progress = self.bar.update

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.jobs.progress = None


def _judge(args, work_dir):
    from sio.sinol import archive, judging
    from sio.sinol.package import Package
    from sio.workers.cli.parallel import worker_count_for

    root = args.package
    if archive.is_archive(root):
        os.mkdir(os.path.join(work_dir, 'package'))
        root = archive.unpack(root, os.path.join(work_dir, 'package'))
    package = Package(root)
    sources = judging.solution_paths(package, args.solutions)
    jobs = judging.Jobs(worker_count_for(args.jobs))
    progress = Progress(jobs)
    options = {'tests': args.tests, 'generate': args.generate,
               'verify': args.verify, 'job_type': args.job}
    try:
        return judging.judge(package, sources, jobs, work_dir, options, progress.start)
    finally:
        progress.close()
        jobs.close(cancel=True)


def _run(argv):
    from sio.sinol import PackageError

    args = make_parser().parse_args(argv)
    work_dir = tempfile.mkdtemp(prefix='sio-judge-')
    try:
        report = _judge(args, work_dir)
    except PackageError as e:
        raise UsageError(e) from None
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if args.json:
        import json

        sys.stdout.write(json.dumps(report, indent=1) + '\n')
    else:
        from sio.sinol.table import render

        width = shutil.get_terminal_size((80, 24)).columns
        sys.stdout.write(''.join(line + '\n' for line in render(report, width)))
    failed = any(row['verdict'] == 'FAIL' for solution in report['solutions']
                 for row in solution['tests'].values())
    differ = any(solution['differences'] for solution in report['solutions'])
    return EXIT_FAILED if failed or differ else EXIT_DONE


def main(argv=None):
    """``sio-judge``; the exit status."""
    return run_main(PROG, _run, argv)
