"""OIOIOI's side of a sinol package's life, played by the tests.

Each function builds the environs that OIOIOI's code builds at that step
(``oioioi/sinolpack/package.py`` when a package is uploaded,
``oioioi/programs/handlers.py`` and ``controllers.py`` when a submission is
judged), sends them to ``sio.workers.runner.run()`` as OIOIOI's
``LocalBackend`` does, and reads the results the way OIOIOI reads them.
The files travel through a filetracker client, as in OIOIOI: programs,
tests and outputs are filetracker paths, never local ones.
"""

import os
import re
import shutil
from fractions import Fraction
from math import ceil

from sio.workers import runner

TASK_PRIORITY = 500  # sinolpack's
DEFAULT_TIME_LIMIT, DEFAULT_MEMORY_LIMIT = 10000, 66000  # sinolpack's
C_EXTRA_ARGS = ['-Wall', '-Wno-unused-result', '-Werror']  # sinolpack adds them
PRIORITIES = {'EXAMPLE': 300, 'NORMAL': 100}  # handlers.run_tests
COMPILE_TASK_PRIORITY = 200


class Oioioi:
    """One OIOIOI installation: its settings, its filetracker client and
    the jobs it sent (``jobs``: every environ, as sent)."""

    def __init__(self, settings, client, filetracker_url, workdir, name='oioioi'):
        self.name = name
        self.settings = settings
        self.client = client
        self.url = filetracker_url
        self.workdir = workdir
        self.jobs = []

    def run_job(self, job):
        """``run_sioworkers_job`` over the ``LocalBackend``."""
        if self.url:
            job['filetracker_url'] = self.url
        self.jobs.append(dict(job))
        result = runner.run(job)
        assert result['result'] == 'SUCCESS', (job['job_type'], result.get('exception'))
        return result

    def run_jobs(self, jobs):
        return {name: self.run_job(job) for name, job in jobs.items()}

    def put(self, name, path):
        return self.client.put_file(name, path)

    def read(self, name):
        local = os.path.join(self.workdir, 'read-%d' % len(os.listdir(self.workdir)))
        self.client.get_file(name, local)
        with open(local) as f:
            return f.read()

    def save_to_field(self, problem_id, path):
        """``SinolPackage._save_to_field``: fetches a file the workers
        stored and keeps it in the problem's storage (a Django
        FileField over the filetracker), deleting the workers' copy."""
        base = os.path.basename(path.split('@')[0])
        local = os.path.join(self.workdir, base)
        self.client.get_file(path, local)
        kept = self.put('/problems/%d/%s' % (problem_id, base), local)
        self.client.delete_file(path)
        return kept


# -- uploading a package: oioioi/sinolpack/package.py ---------------------

class Upload:
    """``SinolPackage.unpack`` of one package directory."""

    def __init__(self, oioioi, package_dir, config, problem_id=2, package_id=7):
        self.oi = oioioi
        self.dir = package_dir
        self.config = config
        self.short_name = os.path.basename(package_dir)
        self.problem_id = problem_id
        # What oioioi.problems.unpackmgr sends the package backend.
        self.env = {'post_upload_handlers': ['oioioi.problems.handlers.update_problem_instance'],
                    'backend_name': 'oioioi.sinolpack.package.SinolPackageBackend',
                    'package_id': package_id, 'round_id': 1, 'contest_id': 'c',
                    'author': 'admin', 'is_reupload': False, 'visibility': 'FRIENDS',
                    'job_id': '5d1b6a1e-celery-task-id', 'problem_id': problem_id}
        self.use_sandboxes = not oioioi.settings['USE_UNSAFE_EXEC']
        self.extra_files = {}
        self.prog_archive = None
        self.tests = {}

    def job_path(self, base_name):
        """``_make_filename_in_job_dir``."""
        self.env['unpack_dir'] = '/unpack/%d' % self.env['package_id']
        return '%s/%s-%s' % (self.env['unpack_dir'], self.env['job_id'], base_name)

    def save_extra_files(self):
        """``_process_extra_files``: config.yml's extra_compilation_files,
        taken from prog/ into the problem's storage."""
        for name in self.config.get('extra_compilation_files', ()):
            self.extra_files[name] = self.oi.put(
                '/problems/%d/%s' % (self.problem_id, name), os.path.join(self.dir, 'prog', name))

    def save_prog_dir(self):
        """``_save_prog_dir``: prog/ zipped (its files at the archive's top)."""
        archive = shutil.make_archive(os.path.join(self.oi.workdir, 'compilation-dir-archive'),
                                      format='zip', root_dir=os.path.join(self.dir, 'prog'))
        self.prog_archive = self.oi.put(self.job_path(archive), archive)

    def compile(self, name, ext, out_name=None):
        """``_compile``: one program of prog/, compiled as OIOIOI does."""
        source = self.oi.put(self.job_path('%s.%s' % (name, ext)),
                             os.path.join(self.dir, 'prog', '%s.%s' % (name, ext)))
        job = dict(self.env, job_type='compile', task_priority=TASK_PRIORITY,
                   source_file=source, out_file=out_name or self.job_path(name + '.e'),
                   language=ext, compiler=('default-' if self.use_sandboxes else 'system-') + ext)
        if self.prog_archive:
            job['additional_archive'] = self.prog_archive
        # sinolpack.utils.add_extra_files
        extra_args = list(self.config.get('extra_compilation_args', {}).get(ext, []))
        extra_args += {'c': C_EXTRA_ARGS, 'cpp': C_EXTRA_ARGS}.get(ext, [])
        if extra_args:
            job['extra_compilation_args'] = extra_args
        job['extra_files'] = dict(self.extra_files)
        new_env = self.oi.run_job(job)
        self.oi.client.delete_file(source)
        # _ensure_compilation_success
        assert new_env.get('result_code', 'CE') == 'OK', new_env.get('compiler_output', '')
        new_env['compiled_file'] = new_env['out_file']
        return new_env

    def test_name_re(self):
        return r'^(%s(([0-9]+)([a-z]?[a-z0-9]*))).in$' % re.escape(self.short_name)

    def make_ins(self):
        """``_make_ins``: the ingen compiled and run; the inputs it made."""
        env = self.compile(self.short_name + 'ingen', 'cpp')
        env.update(job_type='ingen', task_priority=TASK_PRIORITY, exe_file=env['compiled_file'],
                   re_string=self.test_name_re(), use_sandboxes=self.use_sandboxes,
                   collected_files_path=self.job_path('in'))
        renv = self.oi.run_job(env)
        assert renv['return_code'] == 0, 'Ingen failed: %r' % renv
        self.oi.client.delete_file(env['compiled_file'])
        return renv

    def create_tests(self, collected):
        """``_create_instances_for_tests``: a test for each input of in/
        and of the ingen's, in natural order; the outputs to make."""
        names_re = re.compile(self.test_name_re())
        in_dir, out_dir = os.path.join(self.dir, 'in'), os.path.join(self.dir, 'out')
        items = set(os.listdir(in_dir)) | set(collected)
        outs_to_make = []
        for order, item in enumerate(sorted(items, key=_natural)):
            match = names_re.match(item)
            assert match, 'Unrecognized test: %s' % item
            basename, name, group, suffix = match.groups()
            test = {'name': name, 'order': order, 'id': 100 + order,
                    'time_limit': self.time_limit(name, group),
                    'memory_limit': self.config.get('memory_limit', DEFAULT_MEMORY_LIMIT)}
            if item in collected:
                test['input'] = self.oi.save_to_field(self.problem_id, collected[item])
            else:
                test['input'] = self.oi.put('/problems/%d/%s' % (self.problem_id, item),
                                            os.path.join(in_dir, item))
            out = os.path.join(out_dir, basename + '.out')
            if os.path.isfile(out):
                test['output'] = self.oi.put('/problems/%d/%s.out' % (self.problem_id, basename),
                                             out)
            else:
                outs_to_make.append((self.job_path('out/%s.out' % basename), name))
            example = group == '0' or 'ocen' in suffix
            test['kind'], test['group'] = ('EXAMPLE', name) if example else ('NORMAL', group)
            self.tests[name] = test
        return outs_to_make

    def time_limit(self, name, group):
        limits = {str(k): v for k, v in self.config.get('time_limits', {}).items()}
        return limits.get(name) or limits.get(group) or self.config.get(
            'time_limit', DEFAULT_TIME_LIMIT)

    def verify_inputs(self):
        """``_verify_inputs``: the inwer on every input, with its file name."""
        env = self.compile(self.short_name + 'inwer', 'c')
        jobs = {}
        for name, test in self.tests.items():
            job = dict(env, job_type='inwer', task_priority=TASK_PRIORITY,
                       exe_file=env['compiled_file'], in_file=test['input'],
                       in_file_name=self.short_name + name + '.in',
                       use_sandboxes=self.use_sandboxes)
            jobs[name] = job
        jobs = self.oi.run_jobs(jobs)
        self.oi.client.delete_file(env['compiled_file'])
        for name, job in jobs.items():
            assert job['result_code'] == 'OK', 'Inwer failed on test %s. Inwer output %s' % (
                name, '\n'.join(job['stdout']))
        return jobs

    def make_outs(self, outs_to_make):
        """``_make_outs``: the model solution run on the inputs that have
        no output; each output kept as the test's."""
        env = self.compile(self.short_name, 'c')
        jobs = {}
        for out_name, name in outs_to_make:
            job = dict(env, job_type='exec' if self.use_sandboxes else 'unsafe-exec',
                       task_priority=TASK_PRIORITY, exe_file=env['compiled_file'],
                       upload_out=True, in_file=self.tests[name]['input'], out_file=out_name,
                       exec_mem_limit=self.tests[name]['memory_limit'])
            jobs[name] = job
        jobs = self.oi.run_jobs(jobs)
        self.oi.client.delete_file(env['compiled_file'])
        for name, job in jobs.items():
            self.tests[name]['output'] = self.oi.save_to_field(self.problem_id, job['out_file'])
        return jobs

    def assign_scores(self):
        """``_assign_scores``, with config.yml's scores."""
        scores = {str(k): v for k, v in self.config['scores'].items()}
        for test in self.tests.values():
            test['max_score'] = scores.get(test['group'], 0)

    def process_checker(self):
        """``_process_checkers``: the checker compiled and kept."""
        out_name = self.job_path('%schk.e' % self.short_name)
        env = self.compile(self.short_name + 'chk', 'cpp', out_name=out_name)
        return self.oi.save_to_field(self.problem_id, env['compiled_file'])


def _natural(name):
    return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', name)]


# -- judging a submission: oioioi/programs ---------------------------------

def discrete_test_scorer(test, result):
    """``oioioi.programs.utils.discrete_test_scorer``."""
    status = result['result_code']
    percentage = result.get('result_percentage', (100, 1))
    max_score = ceil(Fraction(*percentage) / 100.0 * test['max_score'])
    return (max_score if status == 'OK' else 0), status


def test_report(result):
    """What ``make_report`` keeps of one test's result in its TestReport."""
    percentage = Fraction(*result.get('result_percentage', (0, 1)))
    comment = result.get('result_string', '')
    if comment.lower() in ['ok', 'time limit exceeded']:
        comment = ''
    return {'status': result['result_code'], 'comment': comment, 'percentage': percentage,
            'time_limit': result['exec_time_limit'], 'mem_limit': result['exec_mem_limit'],
            'time_used': result['time_used'], 'mem_used': result['mem_used']}


def evaluation_environ(oioioi, upload, source, submission_id):
    """What ``ProgrammingProblemController.fill_evaluation_environ`` and the
    sinol controller's ``add_extra_files`` make of a submission."""
    language = source.rsplit('.', 1)[1]
    settings = oioioi.settings
    env = {'recipe': [['compile', 'oioioi.programs.handlers.compile'],
                      ['compile_end', 'oioioi.programs.handlers.compile_end']],
           'error_handlers': [['delete_executable', 'oioioi.programs.handlers.delete_executable']],
           'job_id': 'urn:uuid:evaluation-%d' % submission_id, 'extra_args': {},
           'is_rejudge': False, 'report_kinds': ['INITIAL', 'NORMAL'],
           'source_file': oioioi.put('/submissions/c/%d.%s' % (submission_id, language), source),
           'language': language, 'compilation_result_size_limit': 10 * 1024 * 1024,
           'submission_id': submission_id, 'submission_kind': 'NORMAL',
           'problem_instance_id': 3, 'problem_id': upload.problem_id,
           'problem_short_name': upload.short_name, 'round_id': 1, 'contest_id': 'c',
           'submission_owner': 'contestant', 'oioioi_instance': 'OIOIOI',
           'contest_priority': 10, 'contest_weight': 1000,
           'compiler': settings['DEFAULT_COMPILERS'][language], 'fake_time': 'off',
           'subtask_dependencies': {},
           'exec_mode': ('unsafe' if settings['USE_UNSAFE_EXEC']
                         else settings['DEFAULT_SAFE_EXECUTION_MODE']),
           'untrusted_checker': not settings['USE_UNSAFE_CHECKER'],
           'group_scorer': 'oioioi.programs.utils.min_group_scorer',
           'score_aggregator': 'oioioi.programs.utils.sum_score_aggregator',
           'checker': upload.checker}
    extra_args = upload.config.get('extra_compilation_args', {}).get(language, [])
    if extra_args:
        env['extra_compilation_args'] = list(extra_args)
    env['extra_files'] = dict(upload.extra_files)
    return env


def compile_submission(oioioi, env):
    """``handlers.compile`` and ``compile_end``."""
    job = dict(env, job_type='compile', task_priority=COMPILE_TASK_PRIORITY,
               out_file='/eval/%s/%s/%s-exe' % (env['contest_id'], env['submission_id'],
                                                env['job_id']))
    new_env = oioioi.run_job(job)
    env['compiled_file'] = new_env.get('out_file')
    env['compilation_message'] = new_env.get('compiler_output', '')
    env['compilation_result'] = new_env.get('result_code', 'CE')
    env['exec_info'] = new_env.get('exec_info', {})
    return env


def collect_tests(env, upload):
    """``handlers.collect_tests``: a test environ for every test."""
    env['tests'] = {}
    for name, test in upload.tests.items():
        env['tests'][name] = {
            'id': test['id'], 'name': name, 'in_file': test['input'],
            'hint_file': test['output'], 'kind': test['kind'], 'group': test['group'],
            'max_score': test['max_score'], 'order': test['order'],
            'exec_time_limit': test['time_limit'], 'exec_mem_limit': test['memory_limit'],
            'to_judge': True}
    return env


def run_tests(oioioi, env, kind):
    """``handlers.run_tests`` and ``run_tests_end`` for one kind of test."""
    jobs = {}
    for name, test_env in env['tests'].items():
        if test_env['kind'] != kind:
            continue
        job = dict(test_env)
        job['job_type'] = (env.get('exec_mode', '') + env.get('task_type_suffix', '-exec')
                           ).lstrip('-')
        job['task_priority'] = PRIORITIES[kind]
        job['exe_file'] = env['compiled_file']
        job['exec_info'] = env['exec_info']
        job['check_output'] = env.get('check_outputs', True)
        if env.get('checker'):
            job['chk_file'] = env['checker']
        job['checker_format'] = env.get('checker_format', 'english_abbreviated')
        job['untrusted_checker'] = env['untrusted_checker']
        jobs[name] = job
    env.setdefault('test_results', {})
    for name, result in oioioi.run_jobs(jobs).items():
        env['test_results'].setdefault(name, {}).update(result)
    return env


def judge(oioioi, upload, source, submission_id):
    """A submission judged: ``(score, reports)``, the score the sum over
    groups of the least score in each (``min_group_scorer``), the reports
    one per test as ``make_report`` keeps them."""
    env = compile_submission(oioioi, evaluation_environ(oioioi, upload, source, submission_id))
    assert env['compilation_result'] == 'OK', env['compilation_message']
    collect_tests(env, upload)
    for kind in ('EXAMPLE', 'NORMAL'):
        run_tests(oioioi, env, kind)
    groups, reports = {}, {}
    for name, result in env['test_results'].items():
        score, _ = discrete_test_scorer(env['tests'][name], result)
        group = env['tests'][name]['group']
        groups[group] = min(groups.get(group, score), score)
        reports[name] = dict(test_report(result), score=score)
    oioioi.client.delete_file(env['compiled_file'])  # delete_executable
    return sum(groups.values()), reports
