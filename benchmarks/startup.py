"""Whole-process start-up: ``sio-batch`` running ``ping`` vs ``python -c pass``.

Both run with the same interpreter and environment; runs alternate so that
machine noise hits both alike.  Target: sio-batch at most 2.0x bare Python.

Also, as a figure only: a fresh process that makes the filetracker client
(``ft.instance()``, no request sent), what the first job naming a remote
file adds to a process's start-up (importing filetracker and requests).

Usage: python benchmarks/startup.py [RUNS]   (default 31, at least 11)
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import median_ms, report, report_figure, timed  # noqa: E402

TARGET_RATIO = 2.0


def byte_compile_package():
    """Measure the installed state: where PYTHONDONTWRITEBYTECODE is set and
    the package is an editable checkout, nothing else would compile it."""
    import compileall

    import sio.workers

    compileall.compile_dir(os.path.dirname(os.path.dirname(sio.workers.__file__)), quiet=1)


def main():
    byte_compile_package()
    runs = max(11, int(sys.argv[1]) if len(sys.argv) > 1 else 31)
    sio_batch = os.path.join(os.path.dirname(sys.executable), 'sio-batch')
    if not os.path.exists(sio_batch):
        sio_batch = shutil.which('sio-batch')
    env = dict(os.environ, environ='{"job_type": "ping", "ping": 1}')
    bare = [sys.executable, '-c', 'pass']
    batch = [sio_batch]
    devnull = subprocess.DEVNULL
    out = subprocess.run(batch, env=env, capture_output=True, text=True, check=True).stdout
    assert '"pong": 1' in out, out  # the job really ran
    cache = tempfile.mkdtemp(prefix='sio-bench-startup-')
    client = [sys.executable, '-c', "from sio.workers import ft; "
              "ft.instance({'filetracker_url': 'http://127.0.0.1:1'})"]
    client_env = dict(os.environ, SIO_CACHE_DIR=cache)
    bare_times, batch_times, client_times = [], [], []
    try:
        for _ in range(runs):
            bare_times.append(timed(lambda: subprocess.run(bare, stdout=devnull)))
            batch_times.append(timed(lambda: subprocess.run(batch, env=env, stdout=devnull)))
            client_times.append(timed(lambda: subprocess.run(client, env=client_env,
                                                             check=True)))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    bare_ms, batch_ms = median_ms(bare_times), median_ms(batch_times)
    print('python -c pass: median %.2f ms; sio-batch ping: median %.2f ms; a process '
          'making the filetracker client: median %.2f ms (%d runs each)'
          % (bare_ms, batch_ms, median_ms(client_times), runs))
    ratio = batch_ms / bare_ms
    report('sio-batch ping / python -c pass', ratio, 'x', '<= %.1fx' % TARGET_RATIO,
           ratio <= TARGET_RATIO)
    report_figure('filetracker client / python -c pass', median_ms(client_times) / bare_ms,
                  'x')


if __name__ == '__main__':
    main()
