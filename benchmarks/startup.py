"""Whole-process start-up: ``sio-batch`` running ``ping`` vs ``python -c pass``.

Both run with the same interpreter and environment; runs alternate so that
machine noise hits both alike.  Target: sio-batch at most 2.0x bare Python.

Usage: python benchmarks/startup.py [RUNS]   (default 31, at least 11)
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import median_ms, report, timed  # noqa: E402

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
    bare_times, batch_times = [], []
    for _ in range(runs):
        bare_times.append(timed(lambda: subprocess.run(bare, stdout=devnull)))
        batch_times.append(timed(lambda: subprocess.run(batch, env=env, stdout=devnull)))
    bare_ms, batch_ms = median_ms(bare_times), median_ms(batch_times)
    print('python -c pass: median %.2f ms; sio-batch ping: median %.2f ms (%d runs each)'
          % (bare_ms, batch_ms, runs))
    ratio = batch_ms / bare_ms
    report('sio-batch ping / python -c pass', ratio, 'x', '<= %.1fx' % TARGET_RATIO,
           ratio <= TARGET_RATIO)


if __name__ == '__main__':
    main()
