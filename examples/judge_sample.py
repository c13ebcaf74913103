"""Judges the sample problem's solutions, as a contest judge would.

Each solution in ``range-sums/solutions`` is compiled with the ``compile``
job and run on every test with the isolated ``exec`` job, its output
checked by the default checker.  Everything comes from local files; no
server is needed.  Prints one row per solution and test, and each
solution's verdict against the one expected in ``problem.json``.  Exit
status 0 when every verdict is the expected one.

Usage: python examples/judge_sample.py [PROBLEM_DIR]
"""

import json
import os
import shutil
import sys
import tempfile

from sio.workers import run

HERE = os.path.dirname(os.path.abspath(__file__))
ROW = '%-15s %-5s %-6s %8s %10s  %s'


def compile_solution(source, work_dir):
    result = run({'job_type': 'compile', 'use_filetracker': False,
                  'source_file': source,
                  'out_file': os.path.join(work_dir, os.path.basename(source) + '.bin')})
    if result['result'] != 'SUCCESS':
        raise SystemExit('judge_sample: cannot compile %s: %s'
                         % (source, result['exception']))
    return result


def judge_on_test(compiled, test_in, problem, work_dir):
    result = run({
        'job_type': 'exec', 'use_filetracker': False,
        'exe_file': compiled['out_file'], 'exec_info': compiled['exec_info'],
        'in_file': test_in, 'out_file': os.path.join(work_dir, 'out.txt'),
        'check_output': True, 'hint_file': test_in[:-len('.in')] + '.out',
        'exec_time_limit': problem['time_limit'],
        'exec_mem_limit': problem['memory_limit'],
    })
    if result['result'] != 'SUCCESS':
        raise SystemExit('judge_sample: cannot run on %s: %s' % (test_in, result['exception']))
    return result


def tests_of(problem_dir):
    tests_dir = os.path.join(problem_dir, 'tests')
    names = sorted((name for name in os.listdir(tests_dir) if name.endswith('.in')),
                   key=lambda name: (len(name), name))
    return [os.path.join(tests_dir, name) for name in names]


def judge_solution(name, problem_dir, problem, work_dir):
    """Prints the rows of one solution; returns its verdict."""
    compiled = compile_solution(os.path.join(problem_dir, 'solutions', name), work_dir)
    if compiled['result_code'] != 'OK':
        print(ROW % (name, '-', 'CE', '', '', compiled['compiler_output'].strip()))
        return 'CE'
    verdict = 'OK'
    for test_in in tests_of(problem_dir):
        result = judge_on_test(compiled, test_in, problem, work_dir)
        code = result['result_code']
        print(ROW % (name, os.path.basename(test_in)[:-3], code,
                     '%d ms' % result['time_used'], '%d KiB' % result['mem_used'],
                     '' if code == 'OK' else result.get('result_string', '')))
        sys.stdout.flush()
        if verdict == 'OK':
            verdict = code
    return verdict


def main(argv):
    problem_dir = os.path.abspath(argv[1] if len(argv) > 1 else
                                  os.path.join(HERE, 'range-sums'))
    with open(os.path.join(problem_dir, 'problem.json')) as f:
        problem = json.load(f)
    print('%s: %d ms CPU, %d KiB per test\n' % (
        problem['name'], problem['time_limit'], problem['memory_limit']))
    print(ROW % ('solution', 'test', 'result', 'time', 'memory', ''))
    work_dir = tempfile.mkdtemp(prefix='sio-sample-')
    try:
        verdicts = {name: judge_solution(name, problem_dir, problem, work_dir)
                    for name in sorted(problem['expected'])}
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    print()
    all_expected = True
    for name, verdict in verdicts.items():
        expected = problem['expected'][name]
        all_expected &= verdict == expected
        print('%-15s %-4s %s' % (name, verdict, 'as expected' if verdict == expected
                                  else 'EXPECTED %s' % expected))
    return 0 if all_expected else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
