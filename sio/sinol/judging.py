"""Judging solutions against a sinol package through the ordinary jobs.

Every program is compiled by the ``compile`` job and run by the ``exec``
job (or ``ingen``, ``inwer``), each job in one of a pool of worker
processes: :func:`sio.workers.run` owns its process's current directory
while it runs, so jobs cannot share a process.

:func:`judge` does what ``sinol-make run`` does, in this order:

1. compiles the solutions and the package's checker (and, when they are
   needed, its generator, verifier and model solution);
2. when ``in/`` has no tests (or when asked to), runs the generator
   ``<id>ingen`` in ``in/``;
3. checks the inputs with the verifier ``<id>inwer`` when asked to, or
   when they were just generated;
4. makes every missing output in ``out/`` with the model solution;
5. runs every solution on every test with the test's limits and scores it
   (:mod:`sio.sinol.scoring`).
"""

import logging
import os
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from sio.sinol import PackageError, scoring
from sio.sinol.package import language

#: Limits of programs that prepare tests (the generator, the verifier, the
#: model solution making outputs): trusted, but not endlessly.
PREPARATION_TIME_LIMIT = 60000
PREPARATION_MEM_LIMIT = 1048576

logger = logging.getLogger(__name__)


def run_job(environ):
    """Runs one job in a worker process."""
    from sio.workers import run

    return run(environ)


class Jobs:
    """A pool of worker processes running environs; ``progress`` (if given)
    is called once per finished job."""

    def __init__(self, workers, progress=None):
        self.pool = ProcessPoolExecutor(max_workers=max(1, workers),
                                        mp_context=get_context('forkserver'))
        self.progress = progress

    def run_all(self, environs):
        futures = [self.pool.submit(run_job, environ) for environ in environs]
        results = []
        for future in futures:
            results.append(future.result())
            if self.progress:
                self.progress()
        return results

    def close(self, cancel=False):
        self.pool.shutdown(wait=True, cancel_futures=cancel)


def compilers_known():
    from sio.compilers.defaults import DEFAULT_COMPILER_PREFIX
    from sio.workers import plugins
    from sio.workers.defaults import COMPILERS_GROUP

    return {name[len(DEFAULT_COMPILER_PREFIX):]
            for name in plugins.entry_points(COMPILERS_GROUP)
            if name.startswith(DEFAULT_COMPILER_PREFIX)}


def solution_paths(package, names):
    """The sources to judge: ``names`` (files of ``prog/`` or paths), or
    every solution of the package; checks that each can be compiled."""
    if not names:
        paths = [package.path('prog', name) for name in package.solutions()]
    else:
        paths = []
        for name in names:
            path = name if os.path.isfile(name) else package.path('prog', name)
            if not os.path.isfile(path):
                raise PackageError('no solution %s (neither a file nor in prog/)' % name)
            paths.append(os.path.abspath(path))
    known = compilers_known()
    for path in paths:
        if language(path) not in known:
            raise PackageError('%s: no compiler for the language %r'
                               % (os.path.basename(path), language(path)))
    if not paths:
        raise PackageError('%s has no solutions in prog/' % package.root)
    return paths


def compile_environ(package, source, work_dir, index):
    lang = language(source)
    args, arg_files = package.extra_args(lang)
    files = dict(package.extra_files(), **{os.path.basename(k): v
                                           for k, v in arg_files.items()})
    files.pop(os.path.basename(source), None)
    environ = {'job_type': 'compile', 'use_filetracker': False,
               'source_file': source,
               'out_file': os.path.join(work_dir, 'program-%d' % index)}
    if files:
        environ['extra_files'] = files
    if args:
        environ['extra_compilation_args'] = args
    return environ


def compile_all(jobs, package, sources, work_dir):
    """Compiles ``sources``; returns source -> compile result."""
    environs = [compile_environ(package, source, work_dir, index)
                for index, source in enumerate(sources)]
    logger.info('compiling %s', ', '.join(os.path.basename(s) for s in sources))
    results = dict(zip(sources, jobs.run_all(environs)))
    for source, result in results.items():
        if result.get('result') != 'SUCCESS':
            raise PackageError('cannot compile %s: %s'
                               % (os.path.basename(source), result.get('exception')))
    return results


def compiled_program(compiled, source, role):
    """The keys that run a compiled helper program; a package whose helper
    does not compile is unusable."""
    result = compiled[source]
    if result.get('result_code') != 'OK':
        raise PackageError('the %s %s does not compile: %s'
                           % (role, os.path.basename(source),
                              ' '.join(result.get('compiler_output', '').split())[:300]))
    return {'exe_file': result['out_file'], 'exec_info': result['exec_info']}


def generate_inputs(jobs, package, ingen):
    """Runs the generator; its ``.in`` files go to ``in/``."""
    os.makedirs(package.path('in'), exist_ok=True)
    logger.info('generating the inputs in in/')
    environ = dict(ingen, job_type='ingen', use_filetracker=False,
                   re_string=r'%s[0-9]+[a-z0-9]*\.in$' % re.escape(package.task_id),
                   collected_files_path=package.path('in'),
                   ingen_time_limit=PREPARATION_TIME_LIMIT,
                   ingen_mem_limit=PREPARATION_MEM_LIMIT)
    result, = jobs.run_all([environ])
    if result.get('result') != 'SUCCESS' or result.get('result_code') != 'OK':
        raise PackageError('the generator failed: %s' % (
            result.get('exception') or result.get('result_string')))
    if not result.get('collected_files'):
        raise PackageError('the generator wrote no tests')


def verify_inputs(jobs, package, inwer, tests):
    """Runs the verifier on every input; a rejected one makes the package
    unusable."""
    environs = [dict(inwer, job_type='inwer', use_filetracker=False,
                     in_file=test.in_path, in_file_name=test.name + '.in',
                     inwer_time_limit=PREPARATION_TIME_LIMIT,
                     inwer_mem_limit=PREPARATION_MEM_LIMIT)
                for test in tests]
    logger.info('verifying %d inputs', len(tests))
    for test, result in zip(tests, jobs.run_all(environs)):
        if result.get('result') != 'SUCCESS' or result.get('result_code') != 'OK':
            said = ' '.join(result.get('stdout') or [])
            raise PackageError('the verifier rejects %s.in: %s' % (test.name, (
                result.get('exception') or said or result.get('result_string'))))


def make_outputs(jobs, package, model, tests):
    """Runs the model solution on the tests that have no output yet."""
    missing = [test for test in tests if not os.path.isfile(test.out_path)]
    os.makedirs(package.path('out'), exist_ok=True)
    if missing:
        logger.info('making %d outputs with the model solution', len(missing))
    environs = [dict(model, job_type='exec', use_filetracker=False,
                     in_file=test.in_path, out_file=test.out_path,
                     exec_time_limit=PREPARATION_TIME_LIMIT,
                     exec_mem_limit=PREPARATION_MEM_LIMIT)
                for test in missing]
    for test, result in zip(missing, jobs.run_all(environs)):
        if result.get('result') != 'SUCCESS' or result.get('result_code') != 'OK':
            raise PackageError('the model solution fails on %s: %s' % (test.name, (
                result.get('exception') or result.get('result_string'))))


def exec_environ(package, program, checker, test, lang, job_type):
    environ = dict(program, job_type=job_type, use_filetracker=False,
                   in_file=test.in_path, hint_file=test.out_path,
                   check_output=True,
                   exec_time_limit=package.limit('time', test, lang),
                   exec_mem_limit=package.limit('memory', test, lang))
    if checker:
        environ['chk_file'] = checker['exe_file']
    return environ


def _test_row(result, time_limit, memory_limit, kind):
    if result.get('result') != 'SUCCESS':
        verdict, message = 'FAIL', result.get('exception', '')
    else:
        verdict, message = result.get('result_code'), result.get('result_string', '')
    return {'verdict': verdict, 'time_ms': result.get('time_used'),
            'memory_kib': result.get('mem_used'),
            'time_limit_ms': time_limit, 'memory_limit_kib': memory_limit,
            'percentage': scoring.test_percentage(result, time_limit, kind),
            'message': message if verdict != 'OK' else ''}


def _solution_summary(package, source, compiled, tests, results, all_groups):
    name = os.path.basename(source)
    lang = language(source)
    kind = scoring.contest_type(package.config)
    rows = {}
    for test in tests:
        result = results.get(test.name) or {
            'result': 'SUCCESS', 'result_code': 'CE', 'result_string': 'compilation error'}
        results[test.name] = result
        rows[test.name] = _test_row(result, package.limit('time', test, lang),
                                    package.limit('memory', test, lang), kind)
    limits = {test.name: rows[test.name]['time_limit_ms'] for test in tests}
    groups = scoring.score_groups(tests, results, limits, package.config)
    return {
        'name': name, 'compiled': compiled.get('result_code') == 'OK',
        'compiler_output': compiled.get('compiler_output', ''),
        'tests': rows,
        'groups': {str(group): value for group, value in groups.items()},
        'points': sum(group['points'] for group in groups.values()),
        'max_points': sum(group['max_points'] for group in groups.values()),
        'differences': scoring.differences(package.config, name, groups, all_groups),
    }


def prepare_tests(jobs, package, programs, options):
    """Steps 2-4 of :func:`judge`; returns the tests to judge."""
    generated = False
    if programs.get('ingen') and (options.get('generate') or not package.tests()):
        generate_inputs(jobs, package, programs['ingen'])
        generated = True
    tests = package.tests(options.get('tests'))
    if not tests:
        raise PackageError('%s has no tests%s' % (
            package.root, ' matching %s' % options['tests'] if options.get('tests') else ''))
    if programs.get('inwer') and (generated or options.get('verify')):
        verify_inputs(jobs, package, programs['inwer'], tests)
    if any(not os.path.isfile(test.out_path) for test in tests):
        if not programs.get('model'):
            raise PackageError('tests without outputs in out/ and no model solution '
                               'prog/%s.* to make them' % package.task_id)
        make_outputs(jobs, package, programs['model'], tests)
    return tests


def _helpers(package, sources, options):
    """Role -> source of the helper programs this judging needs."""
    helpers = {'chk': package.program('chk')}
    no_tests = not package.tests()
    if options.get('generate') or no_tests:
        helpers['ingen'] = package.program('ingen')
    if options.get('verify') or no_tests or options.get('generate'):
        helpers['inwer'] = package.program('inwer')
    helpers['model'] = package.program('')
    return {role: source for role, source in helpers.items() if source}


def judge(package, sources, jobs, work_dir, options, on_tests=None):
    """Judges ``sources`` against ``package``; returns the report (a JSON
    document).  ``options``: ``tests`` (a pattern), ``generate``, ``verify``,
    ``job_type``; ``on_tests(count)`` is told how many runs will follow."""
    helpers = _helpers(package, sources, options)
    everything = sorted(set(sources) | set(helpers.values()))
    compiled = compile_all(jobs, package, everything, work_dir)
    programs = {role: compiled_program(compiled, source, role)
                for role, source in helpers.items()}
    checker = programs.get('chk')
    if checker and checker['exec_info'].get('mode') != 'executable':
        raise PackageError('the checker must be a compiled program (C, C++, Pascal)')
    tests = prepare_tests(jobs, package, programs, options)
    runnable = [source for source in sources if compiled[source].get('result_code') == 'OK']
    if on_tests:
        on_tests(len(runnable) * len(tests))
    environs = [exec_environ(package, compiled_program(compiled, source, 'solution'),
                             checker, test, language(source),
                             options.get('job_type') or 'exec')
                for source in runnable for test in tests]
    logger.info('running %d solutions on %d tests', len(runnable), len(tests))
    outcomes = iter(jobs.run_all(environs))
    all_groups = package.groups(tests) == package.groups(package.tests())
    solutions = []
    for source in sources:
        results = {test.name: next(outcomes) for test in tests} if source in runnable else {}
        solutions.append(_solution_summary(package, source, compiled[source], tests,
                                           results, all_groups))
    return {'task_id': package.task_id, 'title': package.title,
            'tests': [{'name': test.name, 'group': test.group} for test in tests],
            'solutions': solutions}
