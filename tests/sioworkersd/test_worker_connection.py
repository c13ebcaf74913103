"""``sio-worker`` when the connection goes wrong: bad messages, a restarted
server, a dropped connection; and when the worker is stopped or killed."""

import json
import signal

from tests.sioworkersd.protocol_server import BOUND, netstring
from tests.sioworkersd.worker_support import WAIT, processes_named
from tests.support import wait_until


def _ping(task_id):
    return {'job_type': 'ping', 'ping': task_id, 'task_id': task_id}


def _start_lingering(link, linger_environ, name):
    """Starts a job whose program waits for ever; its call id once it runs."""
    call_id = link.start_call('run', linger_environ('task-' + name, name))
    wait_until(lambda: processes_named(name), WAIT, 'the program %s to run' % name)
    return call_id


def test_bad_messages_are_dropped_and_the_connection_goes_on(server, start_worker):
    worker = start_worker()
    link = server.joined()
    for payload in (b'not json', b'[1, 2]', b'"a string"', b'\xff\xfe',
                    json.dumps({'type': 'gossip', 'id': 1}).encode(),
                    json.dumps({'type': 'result', 'id': 5, 'result': 1}).encode(),
                    json.dumps({'type': 'call', 'method': 'get_running'}).encode(),
                    b'x' * (BOUND + 1)):
        link.send_bytes(netstring(payload))
    refused = link.call('run', 'not an environ')
    assert refused['type'] == 'error' and refused['kind'] == 'exception', refused
    assert link.call('get_running', 'extra')['type'] == 'error'
    assert link.call('run', _ping('t-after'))['result']['pong'] == 't-after'
    assert not link.gone.is_set()
    assert all(m['type'] in ('result', 'error') for m in link.messages), link.messages
    assert {m['id'] for m in link.messages} <= set(range(101, 200)), link.messages
    log = worker.log()
    assert 'not JSON' in log and "unknown type 'gossip'" in log and 'skipped' in log


def test_bytes_that_are_not_netstrings_end_the_connection_not_the_worker(
        server, start_worker):
    worker = start_worker()
    link = server.joined()
    link.send_bytes(b'GET / HTTP/1.0\r\n\r\n')
    assert link.gone.wait(WAIT)
    again = server.joined()
    assert again.call('run', _ping('t-again'))['type'] == 'result'
    assert worker.process.poll() is None


def test_a_wrong_answer_to_hello_means_connecting_again(server, start_worker):
    start_worker()
    link = server.next_link()
    link.send({'type': 'call', 'id': 1, 'method': 'get_running', 'args': []})
    assert link.gone.wait(WAIT)
    assert server.joined().call('run', _ping('t-ok'))['type'] == 'result'


def test_reconnects_after_the_server_restarts(server, start_worker):
    worker = start_worker()
    link = server.joined()
    server.stop()
    assert link.gone.is_set()
    server.start()
    again = server.joined()
    assert again is not link
    assert again.hello == link.hello
    assert again.call('run', _ping('t-back'))['result']['pong'] == 't-back'
    assert worker.process.poll() is None


def test_reconnects_when_the_server_is_not_there_yet(server, start_worker):
    server.stop()
    start_worker()
    server.start()
    assert server.joined().call('run', _ping('t-late'))['type'] == 'result'


def test_a_dropped_connection_stops_its_jobs(server, start_worker, linger_environ):
    worker = start_worker('--concurrency', '2')
    link = server.joined()
    _start_lingering(link, linger_environ, 'swk-drop1')
    _start_lingering(link, linger_environ, 'swk-drop2')
    assert worker.leftovers()[1], 'the jobs have temporary directories'
    link.close()
    worker.wait_clean('swk-drop1', 'swk-drop2')
    # The new connection finds the worker idle, as sioworkersd requires.
    again = server.joined()
    assert again.call('run', _ping('t-next'))['type'] == 'result'
    assert [m['type'] for m in link.messages] == ['result']  # get_running only


def test_sigterm_stops_the_jobs_and_the_worker(server, start_worker, linger_environ):
    worker = start_worker()
    link = server.joined()
    _start_lingering(link, linger_environ, 'swk-term')
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.log()
    assert link.gone.wait(WAIT)
    worker.wait_clean('swk-term')
    assert [m['type'] for m in link.messages] == ['result']  # the run is left unanswered
    assert 'stopping' in worker.log()


def test_sigkill_of_the_worker_leaves_no_job_running(server, start_worker, linger_environ):
    worker = start_worker('--concurrency', '2')
    link = server.joined()
    _start_lingering(link, linger_environ, 'swk-kill1')
    _start_lingering(link, linger_environ, 'swk-kill2')
    worker.signal(signal.SIGKILL)
    assert worker.wait() == -signal.SIGKILL
    assert link.gone.wait(WAIT)
    worker.wait_clean('swk-kill1', 'swk-kill2')


def test_an_answer_over_the_bound_becomes_an_error(server, start_worker):
    start_worker()
    link = server.joined()
    big = 'x' * (BOUND // 2 + 1000)  # the call fits; ping and pong together do not
    answer = link.call('run', {'job_type': 'ping', 'ping': big, 'task_id': 't-big'})
    assert answer['type'] == 'error' and 'too large' in answer['data'], answer['data']


def test_sigterm_while_waiting_to_reconnect(server, start_worker):
    worker = start_worker()
    server.joined()
    server.stop()
    wait_until(lambda: 'cannot connect' in worker.log(), WAIT, 'a failed reconnection')
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0, worker.log()
