"""Shared helpers of the benchmark scripts: timing and reporting."""

import statistics
import sys
import time


def median_ms(samples):
    return statistics.median(samples) * 1000.0


def report(name, figure, unit, target, ok):
    """One line per figure: what was measured, against what target."""
    verdict = 'meets target' if ok else 'MISSES target'
    print('%-40s %10.3f %-4s target %s: %s' % (name, figure, unit, target, verdict))
    sys.stdout.flush()


def timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def report_figure(name, figure, unit):
    """One line for a figure that has no target."""
    print('%-40s %10.3f %-4s figure only' % (name, figure, unit))
    sys.stdout.flush()
