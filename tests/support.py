"""Helpers for tests: import them with ``from support import ...``."""

import os
import socket
import sys

BIN_DIR = os.path.dirname(sys.executable)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tool(name):
    """Path of a console script installed with the project."""
    path = os.path.join(BIN_DIR, name)
    assert os.path.exists(path), '%s is not installed next to %s' % (name, sys.executable)
    return path
