"""OIOIOI's ``task_priority``: a waiting live submission goes before
waiting rejudges, on both brokers."""

import os

import pytest

from tests.celery.celery_support import wait_until

from sio.celery import client
from sio.celery.app import make_app

START_TIMEOUT = 60
RESULT_TIMEOUT = 120

# RabbitMQ orders messages only in queues declared with a maximum priority;
# Celery declares them so with this setting, on workers and callers alike.
RABBITMQ_PRIORITY_SETTINGS = {'task_queue_max_priority': 10}


def _priority_env(tmp_path, worker_pythonpath):
    (tmp_path / 'sio_priority_settings.py').write_text(
        'from sio_celery_test_settings import *  # noqa\n'
        'task_queue_max_priority = %d\n' % RABBITMQ_PRIORITY_SETTINGS['task_queue_max_priority'])
    return {'PYTHONPATH': os.pathsep.join([str(tmp_path), worker_pythonpath]),
            'CELERY_CONFIG_MODULE': 'sio_priority_settings'}


@pytest.mark.parametrize('key', ['task_priority', 'priority'])
def test_higher_priority_job_overtakes_waiting_ones(broker, start_worker, tmp_path,
                                                    worker_pythonpath, key):
    queue = 'test-priority-%s' % key
    extra_env = settings = None
    if broker.kind == 'rabbitmq':
        extra_env = _priority_env(tmp_path, worker_pythonpath)
        settings = RABBITMQ_PRIORITY_SETTINGS
    app = make_app(broker.url, **(settings or {}))
    start_worker(broker, 'prioritized', queue=queue, extra_env=extra_env)
    markers = tmp_path / 'markers'
    markers.mkdir()

    def hold(name, seconds, priority):
        environ = {'job_type': 'celery-test-hold', 'seconds': seconds,
                   'marker_dir': str(markers), key: priority}
        return client.submit(dict(environ, label=name), app=app, queue=queue)

    # One job keeps the only slot busy while the others queue up behind it.
    busy = hold('busy', 3, 5)
    wait_until((markers / 'prioritized.started').exists, START_TIMEOUT, 'the first job')
    pending = [hold('rejudge-1', 0, 1), hold('rejudge-2', 0, 1), hold('live', 0, 8)]
    results = [client.wait(p, timeout=RESULT_TIMEOUT) for p in [busy] + pending]
    assert all(r['result'] == 'SUCCESS' for r in results), results
    order = (markers / 'labels').read_text().split()
    assert sorted(order) == ['busy', 'live', 'rejudge-1', 'rejudge-2']
    assert order[:2] == ['busy', 'live'], order


def test_priority_must_be_a_number(broker):
    with pytest.raises(TypeError) as info:
        client.submit({'job_type': 'ping', 'task_priority': 'high'}, broker_url=broker.url)
    assert "'task_priority' must be a number" in str(info.value)
