"""The ``ping`` job."""

from sio.workers.keys import required


def run(environ):
    """Copies ``environ['ping']`` to ``environ['pong']``; checks a worker is alive.

    Keys read:

    ``ping`` (required)
        any JSON value.

    Keys written:

    ``pong``
        the same value.
    """
    environ['pong'] = required(environ, 'ping', allow_null=True)
    return environ
