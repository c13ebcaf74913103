"""Jobs the Celery tests give their workers, through a distribution made on
the fly (see conftest.py): they leave traces the tests can watch."""

import os
import signal
import subprocess
import time

from sio.celery.progress import report_progress
from sio.workers import required


def _mark(environ, what):
    """Writes ``<marker_dir>/<worker>.<what>`` holding this process's pid."""
    name = '%s.%s' % (os.environ.get('SIO_TEST_WORKER', 'unknown'), what)
    path = os.path.join(required(environ, 'marker_dir', str), name)
    with open(path + '.tmp', 'w') as f:
        f.write('%d\n' % os.getpid())
    os.replace(path + '.tmp', path)


def hold(environ):
    """Says it started, starts a child process, and waits for it for
    ``seconds``; records which worker ran it."""
    environ['ran_on'] = os.environ.get('SIO_TEST_WORKER')
    environ['work_dir'] = os.getcwd()
    seconds = required(environ, 'seconds')
    # One line per run, appended: a job run twice leaves two.
    with open(os.path.join(required(environ, 'marker_dir', str), 'runs'), 'a') as f:
        f.write('%s\n' % environ['ran_on'])
    if 'label' in environ:  # the order in which labelled jobs started
        with open(os.path.join(environ['marker_dir'], 'labels'), 'a') as f:
            f.write('%s\n' % environ['label'])
    child = subprocess.Popen(['sleep', str(seconds)])
    with open(os.path.join(required(environ, 'marker_dir', str), 'child.pid'), 'w') as f:
        f.write('%d\n' % child.pid)
    _mark(environ, 'started')
    child.wait()
    _mark(environ, 'finished')
    return environ


def progress(environ):
    """Reports ``steps`` steps of progress, pausing between them."""
    steps = required(environ, 'steps', int)
    for step in range(1, steps + 1):
        report_progress(step, steps, stage='step %d' % step)
        time.sleep(required(environ, 'pause'))
    environ['reported'] = steps
    return environ


def stubborn(environ):
    """Sleeps ``seconds`` deaf to the signals that stop a job politely
    (the runner's alarm, Celery's soft time limit)."""
    deaf_to = {signal.SIGALRM, signal.SIGUSR1}
    signal.pthread_sigmask(signal.SIG_BLOCK, deaf_to)
    try:
        time.sleep(required(environ, 'seconds'))
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, deaf_to)
    return environ
