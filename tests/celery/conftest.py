"""Real brokers (Redis, RabbitMQ) and real ``sio-celery-worker`` processes.

Each broker is started once per session on free loopback ports and stopped
at the end; workers are started by the tests that need them and stopped
(their whole process group) by the fixtures.
"""

import dataclasses
import os
import socket
import subprocess
import time

import pytest

from tests.celery.celery_support import VISIBILITY_TIMEOUT, Worker, stop_process, wait_until
from tests.support import TEST_PLUGINS, free_port, tool

HERE = os.path.dirname(os.path.abspath(__file__))
BROKER_START_TIMEOUT = 60
WORKER_START_TIMEOUT = 60

# The Redis visibility timeout is short here, far shorter than the jobs of
# the tests, and kombu's own sweep for old jobs is told to look every
# second: a job of a live worker must still run once.  How fast a dead
# worker is noticed (liveness_timeout) keeps its default.
TEST_SETTINGS = """\
broker_transport_options = {
    'visibility_timeout': %d,
    'unacked_restore_interval': 1,
    'unacked_restore_throttle': 1,
}
""" % VISIBILITY_TIMEOUT

TEST_JOBS = """\
[sio.jobs]
celery-test-hold = celery_test_jobs:hold
celery-test-progress = celery_test_jobs:progress
celery-test-stubborn = celery_test_jobs:stubborn
"""


def _wait_for_port(port, broker, log_path):
    deadline = time.monotonic() + BROKER_START_TIMEOUT
    while time.monotonic() < deadline:
        if broker.process.poll() is not None:
            break
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    broker.stop()
    with open(log_path, errors='replace') as f:
        log = f.read()[-3000:]
    raise RuntimeError('%s did not answer on port %d:\n%s' % (broker.kind, port, log))


@dataclasses.dataclass
class Broker:
    """A broker process of the tests: its kind, URL, and how to stop it."""

    kind: str
    url: str
    process: subprocess.Popen
    env: dict = None
    stop_command: list = None
    cleanup_command: list = None

    def _run(self, command):
        try:
            subprocess.run(command, env=self.env, timeout=60, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pass

    def stop(self):
        """Stops the broker and whatever it started; safe to call again."""
        if self.stop_command and self.process.poll() is None:
            self._run(self.stop_command)
        stop_process(self.process)
        if self.cleanup_command:
            self._run(self.cleanup_command)


def start_redis(directory):
    port = free_port()
    log_path = directory / 'redis.log'
    with open(log_path, 'w') as log:
        process = subprocess.Popen(
            ['redis-server', '--port', str(port),
             '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
             '--dir', str(directory)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    broker = Broker('redis', 'redis://127.0.0.1:%d/0' % port, process)
    _wait_for_port(port, broker, log_path)
    return broker


def _rabbitmq_environment(directory):
    """Its own ports, node name, folders and Erlang cookie: nothing shared
    with a RabbitMQ of the machine."""
    for sub in ('mnesia', 'log', 'home'):
        (directory / sub).mkdir()
    (directory / 'enabled_plugins').write_text('[].\n')
    port = free_port()
    env = dict(os.environ)
    env.update({
        'HOME': str(directory / 'home'),
        'RABBITMQ_NODENAME': 'sio-test-%d@localhost' % port,
        'RABBITMQ_NODE_IP_ADDRESS': '127.0.0.1',
        'RABBITMQ_NODE_PORT': str(port),
        'RABBITMQ_DIST_PORT': str(free_port()),
        'RABBITMQ_MNESIA_BASE': str(directory / 'mnesia'),
        'RABBITMQ_LOG_BASE': str(directory / 'log'),
        'RABBITMQ_ENABLED_PLUGINS_FILE': str(directory / 'enabled_plugins'),
        'RABBITMQ_CONFIG_FILE': str(directory / 'rabbitmq'),
        'RABBITMQ_ADVANCED_CONFIG_FILE': str(directory / 'advanced.config'),
        'RABBITMQ_PID_FILE': str(directory / 'rabbitmq.pid'),
        'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS': '-kernel inet_dist_use_interface {127,0,0,1}',
        'ERL_EPMD_PORT': str(free_port()),
        'ERL_EPMD_ADDRESS': '127.0.0.1',
    })
    return env, port


# The scripts behind Debian's wrappers, which switch to the rabbitmq user:
# run directly, the server stays the fixture's child, as any user.
RABBITMQ_BIN = '/usr/lib/rabbitmq/bin'


def start_rabbitmq(directory):
    env, port = _rabbitmq_environment(directory)
    log_path = directory / 'server.log'
    with open(log_path, 'w') as log:
        process = subprocess.Popen(
            [os.path.join(RABBITMQ_BIN, 'rabbitmq-server')], env=env, cwd=str(directory),
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    broker = Broker(
        'rabbitmq', 'amqp://guest:guest@127.0.0.1:%d//' % port, process, env=env,
        stop_command=[os.path.join(RABBITMQ_BIN, 'rabbitmqctl'), '-n',
                      env['RABBITMQ_NODENAME'], 'stop'],
        # Erlang started its port mapper as a daemon of its own.
        cleanup_command=['epmd', '-kill'])
    _wait_for_port(port, broker, log_path)
    return broker


STARTERS = {'redis': start_redis, 'rabbitmq': start_rabbitmq}


@pytest.fixture(scope='session')
def redis_broker(tmp_path_factory):
    broker = start_redis(tmp_path_factory.mktemp('redis'))
    yield broker
    broker.stop()


@pytest.fixture(scope='session')
def rabbitmq_broker(tmp_path_factory):
    broker = start_rabbitmq(tmp_path_factory.mktemp('rabbitmq'))
    yield broker
    broker.stop()


@pytest.fixture
def start_broker(tmp_path):
    """``start_broker(kind)`` -> a broker of the test alone, stopped at its
    end if the test has not stopped it."""
    started = []

    def start(kind):
        directory = tmp_path / ('broker-%d' % len(started))
        directory.mkdir()
        started.append(STARTERS[kind](directory))
        return started[-1]

    yield start
    for broker in started:
        broker.stop()


@pytest.fixture(scope='session', params=['redis', 'rabbitmq'])
def broker(request):
    return request.getfixturevalue(request.param + '_broker')


@pytest.fixture(scope='session')
def worker_pythonpath(tmp_path_factory):
    """A folder holding the test settings and a distribution that registers
    the test jobs, for the workers' ``PYTHONPATH``."""
    directory = tmp_path_factory.mktemp('worker-path')
    (directory / 'sio_celery_test_settings.py').write_text(TEST_SETTINGS)
    dist_info = directory / 'sio_celery_test_jobs-1.0.dist-info'
    dist_info.mkdir()
    (dist_info / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: sio-celery-test-jobs\nVersion: 1.0\n')
    (dist_info / 'entry_points.txt').write_text(TEST_JOBS)
    return os.pathsep.join([str(directory), HERE, TEST_PLUGINS])


class WorkerStarter:
    """Starts workers with their files under ``directory``; stops them all."""

    def __init__(self, directory, pythonpath):
        self.directory = directory
        self.pythonpath = pythonpath
        self.started = []

    def __call__(self, broker, name, *options, concurrency=1, queue=None, wait=True,
                 broker_args=None, extra_env=None):
        """Starts a worker; its options first and the broker's URL last,
        unless ``broker_args`` says how to give the broker."""
        tmp_dir = self.directory / ('tmp-' + name)
        tmp_dir.mkdir()
        log_path = self.directory / (name + '.log')
        env = dict(os.environ)
        env.update({
            'TMPDIR': str(tmp_dir),
            'SIO_TEST_WORKER': name,
            'SIO_CACHE_DIR': str(self.directory / 'cache'),
            'PYTHONPATH': self.pythonpath,
            'CELERY_CONFIG_MODULE': 'sio_celery_test_settings',
        })
        env.pop('CELERY_BROKER_URL', None)
        env.pop('FILETRACKER_URL', None)
        env.update(extra_env or {})
        command = ([tool('sio-celery-worker'), '-n', name + '@%h', '-c', str(concurrency),
                    '-l', 'INFO', '--without-gossip', '--without-mingle']
                   + (['-Q', queue] if queue else []) + list(options)
                   + (broker_args or [broker.url]))
        with open(log_path, 'w') as log:
            process = subprocess.Popen(
                command, env=env, cwd=str(self.directory), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        worker = Worker(name, process, str(tmp_dir), str(log_path))
        self.started.append(worker)
        if wait:
            wait_until(lambda: ' ready.' in worker.log() or process.poll() is not None,
                       WORKER_START_TIMEOUT, 'worker %s to start' % name)
            assert process.poll() is None, worker.log()
        return worker

    def stop_all(self):
        for worker in self.started:
            worker.stop()


@pytest.fixture
def start_worker(tmp_path, worker_pythonpath):
    """``start_worker(broker, name, *options, queue=None)`` -> a ready
    worker, stopped at the end of the test.  Tests that start their own
    workers give them a queue of their own, away from the shared ones."""
    starter = WorkerStarter(tmp_path, worker_pythonpath)
    yield starter
    starter.stop_all()


@pytest.fixture(scope='session')
def two_workers(broker, tmp_path_factory, worker_pythonpath):
    """Two workers of ``broker`` shared by the tests that leave them be."""
    starter = WorkerStarter(tmp_path_factory.mktemp('workers-' + broker.kind),
                            worker_pythonpath)
    try:
        yield [starter(broker, 'shared-a', concurrency=2),
               starter(broker, 'shared-b', concurrency=2)]
    finally:
        starter.stop_all()
