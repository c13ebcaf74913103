"""Jobs that exercise the runner: failures, leftovers, timeouts."""

import os
import stat
import sys
import time

from sio.workers import Failure, required, run


def echo(environ):
    """Records the job's working directory and its contents."""
    environ['cwd'] = os.getcwd()
    environ['cwd_listing'] = sorted(os.listdir('.'))
    environ.setdefault('trace', []).append('job')
    return environ


def fail(environ):
    """Raises Failure with environ['message']."""
    raise Failure(environ.get('message', 'the job failed on purpose'))


def crash(environ):
    """Raises ZeroDivisionError."""
    return 1 // 0


def sleep(environ):
    """Sleeps environ['seconds'] in one blocking call."""
    environ['cwd'] = os.getcwd()
    time.sleep(required(environ, 'seconds'))
    environ['slept'] = True
    return environ


def spin(environ):
    """Burns CPU for environ['seconds'] in Python code, swallowing Exceptions."""
    environ['cwd'] = os.getcwd()
    end = time.monotonic() + required(environ, 'seconds')
    while time.monotonic() < end:
        try:
            sum(range(1000))
        except Exception:  # a careless job must still be stoppable
            pass
    environ['spun'] = True
    return environ


def readonly_leftovers(environ):
    """Leaves read-only files inside read-only directories."""
    environ['cwd'] = os.getcwd()
    os.makedirs('a/b/c')
    for d in ('a/b/c', 'a/b', 'a'):
        with open(os.path.join(d, 'file'), 'w') as f:
            f.write('x')
        os.chmod(os.path.join(d, 'file'), stat.S_IRUSR)
    for d in ('a/b/c', 'a/b', 'a'):
        os.chmod(d, stat.S_IRUSR | stat.S_IXUSR)
    if environ.get('fail'):
        raise Failure('failed after leaving read-only files')
    return environ


def print_to_stdout(environ):
    """Writes to standard output through Python and through a child process."""
    print('noise from the job')
    sys.stdout.flush()
    os.system('echo noise from a child process')
    return environ


def chdir_away(environ):
    """Changes the current directory and leaves it changed."""
    environ['cwd'] = os.getcwd()
    os.chdir('/')
    return environ


def not_dict(environ):
    """Returns a list instead of the environ."""
    return [1, 2, 3]


def unencodable(environ):
    """Puts a value JSON cannot encode into the environ."""
    environ['value'] = object()
    return environ


def exit_job(environ):
    """Calls sys.exit()."""
    sys.exit(3)


def nested(environ):
    """Runs environ['inner'] as a job of its own and stores its result."""
    environ['outer_cwd'] = os.getcwd()
    environ['inner_result'] = run(dict(environ['inner']))
    environ['cwd_after_inner'] = os.getcwd()
    return environ
