"""sio-judge's overhead: the command against the same jobs run in one process.

Judges the sample package (examples/range-sums: 4 solutions, 4 tests) with
``sio-judge -j 2``, and does the same work -- the 4 compile jobs, then the
16 exec jobs with the package's limits -- through ``run()`` calls one after
another in this process, alternating the two so that machine noise hits
both alike.  Prints the median of each and their ratio (the command's time
over the in-process time): the figure only, no target.  With two workers
the command may well take less time than the single process.

Usage: python benchmarks/judge.py [RUNS]   (default 3, at least 1)
"""

import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import median_ms, timed  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, 'examples', 'range-sums')
SIO_JUDGE = os.path.join(os.path.dirname(sys.executable), 'sio-judge')


def with_the_command():
    out = subprocess.run([SIO_JUDGE, '-j', '2', '--json', SAMPLE],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if out.returncode != 0:
        raise SystemExit('sio-judge failed: %s' % out.stderr)


def in_one_process():
    from sio.sinol import judging
    from sio.sinol.package import Package, language
    from sio.workers import run

    package = Package(SAMPLE)
    tests = package.tests()
    with tempfile.TemporaryDirectory() as work_dir:
        for index, name in enumerate(package.solutions()):
            source = package.path('prog', name)
            compiled = run(judging.compile_environ(package, source, work_dir, index))
            program = {'exe_file': compiled['out_file'],
                       'exec_info': compiled['exec_info']}
            for test in tests:
                result = run(judging.exec_environ(package, program, None, test,
                                                  language(source), 'exec'))
                assert result['result'] == 'SUCCESS', result.get('exception')


def main():
    runs = max(1, int(sys.argv[1]) if len(sys.argv) > 1 else 3)
    command, direct = [], []
    for _ in range(runs):
        command.append(timed(with_the_command))
        direct.append(timed(in_one_process))
    command_ms, direct_ms = median_ms(command), median_ms(direct)
    print('sio-judge -j 2 on the sample package   %8.0f ms' % command_ms)
    print('the same jobs through run(), 1 process %8.0f ms' % direct_ms)
    print('overhead ratio (command / in-process)  %8.2f' % (command_ms / direct_ms))


if __name__ == '__main__':
    main()
