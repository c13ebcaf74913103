"""A sinol package's whole life in OIOIOI, through ``sio.workers.runner.run()``.

OIOIOI's own small test packages (a task ``sum`` with an ingen, an inwer,
a checker and a shared header in prog/) take this path when OIOIOI
processes them without makefiles: the package programs are compiled with
prog/ as ``additional_archive``; the ingen makes the missing inputs
(``re_string``, ``collected_files``); the inwer checks each input, told
its name (``in_file_name``); the model solution makes the missing outputs
(``exec`` with ``upload_out``); the checker is compiled; then submissions
are judged by it.  Here the same path is taken with a package of our own
(``tests/compat/sinol/add``), with every environ shaped as OIOIOI's code
shapes it (see ``tests/compat/oioioi_side.py``) and every result read as
OIOIOI reads it, once with OIOIOI's default settings and once with those of
its own test suite.
"""

import os
from fractions import Fraction

import pytest

from sio.workers import ft
from tests.compat import oioioi_side
from tests.compat.oioioi_side import Oioioi, Upload

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, 'sinol', 'add')
SUBMISSIONS = os.path.join(HERE, 'sinol', 'submissions')

# What the package's config.yml says, as OIOIOI's ExtraConfig parses it.
CONFIG = {'extra_compilation_args': {'c': ['-DADD_PACKAGE'], 'cpp': ['-DADD_PACKAGE']},
          'extra_compilation_files': ['addmacros.h'],
          'time_limits': {1: 2000}, 'time_limit': 3000, 'memory_limit': 65536,
          'scores': {1: 40, 2: 60}}

SETTINGS = {
    # oioioi/default_settings.py: sandboxed execution, a filetracker server.
    'defaults': {'USE_UNSAFE_EXEC': False, 'DEFAULT_SAFE_EXECUTION_MODE': 'sio2jail',
                 'USE_UNSAFE_CHECKER': True,
                 'DEFAULT_COMPILERS': {'c': 'gcc4_8_2_c99', 'cpp': 'g++4_8_2_cpp11'}},
    # oioioi/test_settings.py: unsafe execution, system compilers, and the
    # in-memory filetracker client given to sio.workers.ft.set_instance.
    'test_settings': {'USE_UNSAFE_EXEC': True, 'DEFAULT_SAFE_EXECUTION_MODE': 'sio2jail',
                      'USE_UNSAFE_CHECKER': True,
                      'DEFAULT_COMPILERS': {'c': 'system-gcc', 'cpp': 'system-g++'}},
}

# What each setting makes OIOIOI send: the compilers of the package's
# programs and of the submissions, the jobs that run the model solution
# and the submissions.
SENT = {
    'defaults': ({'default-c', 'default-cpp', 'gcc4_8_2_c99', 'g++4_8_2_cpp11'},
                 {'exec', 'sio2jail-exec'}),
    'test_settings': ({'system-c', 'system-cpp', 'system-gcc', 'system-g++'},
                      {'unsafe-exec'}),
}


@pytest.fixture(params=sorted(SETTINGS))
def oioioi(request, tmp_path, monkeypatch):
    """An OIOIOI installation, set up as ``oioioi.filetracker.client.get_client``
    does it: its client is also the workers' (``ft.set_instance``)."""
    monkeypatch.setenv('SIO_CACHE_DIR', str(tmp_path / 'cache'))
    monkeypatch.delenv('FILETRACKER_URL', raising=False)
    workdir = tmp_path / 'oioioi'
    workdir.mkdir()
    if request.param == 'defaults':
        from filetracker.client import Client

        url = request.getfixturevalue('filetracker_server')
        client = Client(remote_url=url, cache_dir=str(tmp_path / 'oioioi-cache'))
    else:
        from filetracker.client.dummy import DummyClient

        url, client = None, DummyClient()
    ft.set_instance(client)
    try:
        yield Oioioi(SETTINGS[request.param], client, url, str(workdir), request.param)
    finally:
        ft.set_instance(None)


def upload(oi):
    """``SinolPackage._process_package`` without makefiles, the steps that
    need the workers; returns the Upload and what each step got back."""
    package = Upload(oi, PACKAGE, CONFIG)
    package.save_extra_files()
    package.save_prog_dir()
    ingen = package.make_ins()
    outs_to_make = package.create_tests(ingen['collected_files'])
    inwer = package.verify_inputs()
    outs = package.make_outs(outs_to_make)
    package.assign_scores()
    package.checker = package.process_checker()
    return package, ingen, inwer, outs


def test_a_sinol_package_is_prepared_and_judged_as_oioioi_does_it(oioioi):
    package, ingen, inwer, outs = upload(oioioi)

    # The ingen's three tests, not its other files, stored where asked.
    assert ingen['result_code'] == 'OK' and ingen['stdout'] == ['5 files written']
    assert sorted(ingen['collected_files']) == ['add1b.in', 'add2a.in', 'add2b.in']
    assert all(path.startswith(package.job_path('in') + '/')
               for path in ingen['collected_files'].values())
    assert sorted(package.tests, key=oioioi_side._natural) == ['0', '1a', '1b', '2a', '2b']
    # Every input verified, the verifier given the test's file name.
    assert {name: job['stdout'] for name, job in inwer.items()} == {
        '0': ['OK add0.in: small'], '1a': ['OK add1a.in: small'], '1b': ['OK add1b.in: small'],
        '2a': ['OK add2a.in: big'], '2b': ['OK add2b.in: big']}
    # The missing outputs made by the model solution.
    assert sorted(outs) == ['1a', '1b', '2a', '2b']
    assert all(job['result_code'] == 'OK' for job in outs.values())
    assert [oioioi.read(package.tests[name]['output']) for name in ('0', '1a', '2b')] == [
        '3\n', '42\n', '777777\n']

    score, reports = oioioi_side.judge(oioioi, package, os.path.join(SUBMISSIONS, 'good.cpp'), 1)
    assert score == 100
    assert {report['status'] for report in reports.values()} == {'OK'}
    assert {report['comment'] for report in reports.values()} == {''}
    assert {report['percentage'] for report in reports.values()} == {100}
    assert reports['1a']['time_limit'] == 2000 and reports['2a']['time_limit'] == 3000
    assert all(r['mem_limit'] == 65536 and r['mem_used'] > 0 and r['time_used'] >= 0
               for r in reports.values())

    score, reports = oioioi_side.judge(oioioi, package, os.path.join(SUBMISSIONS, 'wrong.c'), 2)
    seen = {name: (r['status'], r['comment'], r['percentage'], r['score'])
            for name, r in reports.items()}
    third = Fraction(100, 3)
    # OIOIOI's scorer works in floats: a third of 60 is 20.000000000000004
    # there, and its ceiling 21.
    assert seen == {'0': ('OK', 'off by one', third, 0),
                    '1a': ('OK', '', 100, 40),
                    '1b': ('OK', 'off by one', third, 14),
                    '2a': ('OK', 'off by one', third, 21),
                    '2b': ('WA', 'expected 777777, got -530865', 0, 0)}
    assert score == 14 + 0

    compilers, exec_jobs = SENT[oioioi.name]
    assert {job['compiler'] for job in oioioi.jobs if job['job_type'] == 'compile'} == compilers
    assert {job['job_type'] for job in oioioi.jobs if job['job_type'].endswith('exec')} == \
        exec_jobs
    assert all(('filetracker_url' in job) == (oioioi.url is not None) for job in oioioi.jobs)


def test_an_input_the_inwer_rejects_stops_the_upload_with_its_words(oioioi, tmp_path):
    package = Upload(oioioi, PACKAGE, CONFIG, problem_id=4, package_id=9)
    package.save_extra_files()
    package.save_prog_dir()
    small = tmp_path / 'add2c.in'
    small.write_text('1 1\n')
    package.tests = {'2c': {'input': oioioi.put('/problems/4/add2c.in', str(small))}}
    # What OIOIOI raises as a ProblemPackageError, from the job it got back.
    with pytest.raises(AssertionError, match='Inwer failed on test 2c. Inwer output '
                       'WRONG add2c.in: a group 2 test needs a sum of at least 500000'):
        package.verify_inputs()
