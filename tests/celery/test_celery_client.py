"""What the client says when no broker or no worker answers."""

import time

import pytest

from tests.support import free_port

from sio.celery import client

# Generous bounds: the point is that the client gives up, not how fast.
BOUND = 60


@pytest.mark.parametrize('url_pattern', ['redis://127.0.0.1:%d/0',
                                         'amqp://guest:secret@127.0.0.1:%d//'])
def test_broker_down_is_a_clear_error_in_bounded_time(url_pattern):
    url = url_pattern % free_port()
    start = time.monotonic()
    with pytest.raises(client.BrokerUnreachable) as info:
        client.run({'job_type': 'ping', 'ping': 1}, broker_url=url, connect_timeout=2,
                   timeout=5)
    assert time.monotonic() - start < BOUND
    message = str(info.value)
    assert 'cannot reach the Celery broker' in message
    assert '127.0.0.1' in message and 'secret' not in message


def test_no_worker_on_the_queue_is_named(broker):
    with pytest.raises(client.NoResult) as info:
        client.run({'job_type': 'ping', 'ping': 1}, broker_url=broker.url,
                   queue='nobody-listens-here', timeout=2)
    message = str(info.value)
    assert 'no result for job' in message and 'within 2s' in message
    assert "no worker consumes queue 'nobody-listens-here'" in message


@pytest.mark.parametrize('kind', ['redis', 'rabbitmq'])
def test_broker_gone_while_waiting_is_a_clear_error(kind, start_broker):
    broker = start_broker(kind)
    pending = client.submit({'job_type': 'ping', 'ping': 1}, broker_url=broker.url,
                            queue='nobody-listens-here')
    broker.stop()
    start = time.monotonic()
    with pytest.raises(client.ClientError) as info:
        client.wait(pending, timeout=BOUND)
    assert time.monotonic() - start < BOUND
    assert '127.0.0.1' in str(info.value)
