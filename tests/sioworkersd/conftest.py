"""Fixtures of the ``sio-worker`` tests: a server speaking sioworkersd's
protocol on a free loopback port, workers connected to it, and C programs
for the jobs to run."""

import os
import subprocess

import pytest

from tests.sioworkersd.protocol_server import ProtocolServer
from tests.sioworkersd.worker_support import WorkerProcess
from tests.support import A_PLUS_B, free_port

PROGRAMS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)),
                            'executors', 'programs')


@pytest.fixture
def server():
    protocol_server = ProtocolServer(free_port())
    protocol_server.start()
    try:
        yield protocol_server
    finally:
        protocol_server.close()


@pytest.fixture
def start_worker(server, tmp_path):
    """Starts ``sio-worker`` for ``server`` with more arguments; its
    :class:`WorkerProcess`, with a TMPDIR of its own."""
    started = []

    def start(*args, name='test-worker'):
        tmp_dir = tmp_path / ('worker-tmp-%d' % len(started))
        tmp_dir.mkdir()
        worker = WorkerProcess(['127.0.0.1', '--port', server.port, '--name', name]
                               + list(args), tmp_dir,
                               tmp_path / ('worker-%d.log' % len(started)))
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture(scope='session')
def c_programs(tmp_path_factory):
    """Compiled C programs: ``add`` (a+b) and ``linger`` (reads a name,
    takes it, and waits for ever)."""
    out_dir = tmp_path_factory.mktemp('sioworkersd-programs')
    sources = {'add': str(out_dir / 'add.c'),
               'linger': os.path.join(PROGRAMS_DIR, 'linger.c')}
    with open(sources['add'], 'w') as f:
        f.write(A_PLUS_B['c'])
    paths = {}
    for name, source in sources.items():
        paths[name] = str(out_dir / name)
        subprocess.run(['gcc', '-O2', '-o', paths[name], source], check=True)
    return paths


@pytest.fixture
def linger_environ(c_programs, tmp_path):
    """An ``exec`` environ of a program that takes the name ``name`` and
    runs until it is killed."""

    def environ(task_id, name):
        in_file = tmp_path / ('%s.in' % name)
        in_file.write_text(name + '\n')
        return {'job_type': 'exec', 'task_id': task_id, 'group_id': 'group-1',
                'contest_uid': ['oioioi-test', 'contest-1'],
                'exe_file': c_programs['linger'], 'in_file': str(in_file),
                'exec_time_limit': 600000, 'exec_real_time_limit': 600000}

    return environ
