"""The environ as ``sio-batch`` reads and prints it: JSON text in, the
command line's overrides applied, one line of JSON out."""

import os

from sio.workers import _jsonio
from sio.workers.cli import UsageError
from sio.workers.exceptions import Failure

PROG = 'sio-batch'
#: How deep arrays and objects may nest in an environ: far more than any
#: job needs, far less than would exhaust the decoder's recursion.
MAX_DEPTH = 100
BEGIN = '--- BEGIN ENVIRON ---'
END = '--- END ENVIRON ---'


def decode_environ(text, source="the environment variable 'environ'"):
    """The environ (a dict) from JSON text; :class:`UsageError` otherwise
    (also when it nests deeper than :data:`MAX_DEPTH`)."""
    _check_depth(text, source)
    try:
        value = _jsonio.loads(text)
        if isinstance(value, str):  # quoted twice by some front ends
            value = _jsonio.loads(value)
    except ValueError as e:
        raise UsageError('%s is not valid JSON: %s' % (source, e))
    if not isinstance(value, dict):
        raise UsageError('%s must hold a JSON object, not %s'
                         % (source, _json_type_name(value)))
    return value


def _check_depth(text, source):
    # Few brackets, no depth to fear; else count them outside strings.
    if text.count('[') + text.count('{') <= MAX_DEPTH:
        return
    import re

    depth = 0
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in '[{':
            depth += 1
            if depth > MAX_DEPTH:
                raise UsageError('%s nests arrays and objects deeper than %d levels'
                                 % (source, MAX_DEPTH))
        elif token in ']}':
            depth -= 1


def _json_type_name(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    return {list: 'an array', str: 'a string', int: 'a number',
            float: 'a number'}.get(type(value), type(value).__name__)


def apply_overrides(environ, job_type):
    """The job type argument and the filter variables, applied to ``environ``."""
    if job_type is not None:
        environ['job_type'] = job_type
    for kind in ('prefilters', 'postfilters'):
        extra = os.environ.get(kind, '').split()
        if extra:
            current = environ.get(kind)
            if current is None:
                current = []
            elif isinstance(current, str):
                current = current.split()
            elif not isinstance(current, list):
                raise UsageError('environ key %r must be a list of filter names, not %r'
                                 % (kind, current))
            environ[kind] = list(current) + extra
    return environ


def encode_environ(environ):
    """One line of JSON; an unencodable value turns the result into FAILURE."""
    try:
        return _jsonio.dumps(environ)
    except (TypeError, ValueError) as e:
        from sio.workers.runner import record_failure

        record_failure(environ, Failure(
            'the resulting environ cannot be encoded as JSON: %s' % e))
        import simplejson

        return simplejson.dumps(environ, default=repr)
