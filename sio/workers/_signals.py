"""Holding back the signals that would interrupt the runner's bookkeeping.

Between making a job's temporary directory and entering the ``try`` that
removes it, and during the removal, an interruption (Ctrl-C, ``SIGTERM``,
``job_timeout``'s alarm) would leave the directory behind; the runner holds
those signals back there.

A start-up fast path: this imports the C module ``_signal`` directly, since
``signal.py`` would add an ``enum`` import to every ``sio-batch`` call.
"""

try:
    from _signal import SIG_BLOCK, SIG_SETMASK, SIGALRM, SIGINT, SIGTERM
    from _signal import pthread_sigmask
except ImportError:  # pragma: no cover
    pthread_sigmask = None


def hold():
    """Blocks SIGINT, SIGTERM and SIGALRM; the mask to :func:`release` to."""
    if pthread_sigmask is None:
        return None
    return pthread_sigmask(SIG_BLOCK, (SIGINT, SIGTERM, SIGALRM))


def release(saved_mask):
    """Restores the signal mask :func:`hold` returned."""
    if saved_mask is not None:
        pthread_sigmask(SIG_SETMASK, saved_mask)
