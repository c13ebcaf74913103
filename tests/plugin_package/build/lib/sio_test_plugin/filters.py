"""Filters that leave a trace of their order in the environ."""


def _mark(environ, name):
    environ.setdefault('trace', []).append(name)
    return environ


def mark_a(environ):
    """Appends 'a' to environ['trace']."""
    return _mark(environ, 'a')


def mark_b(environ):
    """Appends 'b' to environ['trace']."""
    return _mark(environ, 'b')


def mark_c(environ):
    """Appends 'c' to environ['trace']."""
    return _mark(environ, 'c')


def raise_error(environ):
    """Raises RuntimeError."""
    raise RuntimeError('filter exploded')


def return_none(environ):
    """Forgets to return the environ."""
    return None
