"""In-process cost of one ``ping`` job through ``run()``, against its floor.

The floor is what the contract imposes on every job: an empty temporary
directory made, entered, left and removed, with the cheapest calls there
are (``os.mkdir``, ``os.chdir``, ``os.rmdir``).  Both are measured in the same
run, interleaved in rounds.  Target: ``run()`` at most 1.5x the floor.

Usage: python benchmarks/dispatch.py [JOBS_PER_ROUND]   (default 500)
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import report  # noqa: E402

from sio.workers.runner import run  # noqa: E402

TARGET_RATIO = 1.5
TMP = os.environ.get('TMPDIR') or '/tmp'
ROUNDS = 31


def floor_once():
    cwd = os.getcwd()
    path = os.path.join(TMP, 'floor-' + os.urandom(6).hex())
    os.mkdir(path, 0o700)
    os.chdir(path)
    os.chdir(cwd)
    os.rmdir(path)


def ping_once():
    run({'job_type': 'ping', 'ping': 'x'})


def per_call_us(function, n):
    start = time.perf_counter()
    for _ in range(n):
        function()
    return (time.perf_counter() - start) / n * 1e6


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    result = run({'job_type': 'ping', 'ping': 'x'})
    assert result['result'] == 'SUCCESS' and result['pong'] == 'x', result
    floor_once()
    floors, pings = [], []
    for _ in range(ROUNDS):
        floors.append(per_call_us(floor_once, n))
        pings.append(per_call_us(ping_once, n))
    floors.sort()
    pings.sort()
    floor_us, ping_us = floors[ROUNDS // 2], pings[ROUNDS // 2]
    print('floor (temp dir made, entered, left, removed): %.1f us; ping job: %.1f us '
          '(medians of %d rounds of %d)' % (floor_us, ping_us, ROUNDS, n))
    ratio = ping_us / floor_us
    report('ping job / floor', ratio, 'x', '<= %.1fx' % TARGET_RATIO, ratio <= TARGET_RATIO)


if __name__ == '__main__':
    main()
