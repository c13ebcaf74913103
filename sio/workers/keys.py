"""Reading environ keys with errors that name the key and the job.

Jobs call these instead of indexing the environ, so that a missing or
malformed key ends as ``result: FAILURE`` with a message such as
``job 'exec' needs key 'in_file'``.
"""

from sio.workers.exceptions import Failure

_MISSING = object()


def _job(environ):
    return environ.get('job_type', '?')


def required(environ, key, expected=None, allow_null=False):
    """``environ[key]``; a :class:`Failure` naming the key if it is absent.

    ``expected``, if given, is a type or tuple of types the value must have.
    A null value counts as absent unless ``allow_null``.
    """
    value = environ.get(key, _MISSING)
    if value is _MISSING or (value is None and not allow_null):
        raise Failure('job %r needs key %r' % (_job(environ), key))
    if expected is not None:
        _check_type(environ, key, value, expected)
    return value


def optional(environ, key, default=None, expected=None):
    """``environ[key]`` if present and not null, else ``default``."""
    value = environ.get(key)
    if value is None:
        return default
    if expected is not None:
        _check_type(environ, key, value, expected)
    return value


def _check_type(environ, key, value, expected):
    types = expected if isinstance(expected, tuple) else (expected,)
    # bool is an int in Python, but true is no number in an environ.
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        names = ' or '.join(_type_name(t) for t in types)
        raise Failure(
            'job %r: key %r must be %s, not %r' % (_job(environ), key, names, value)
        )


def _type_name(t):
    return {str: 'a string', int: 'an integer', float: 'a number',
            bool: 'true or false', list: 'a list', dict: 'an object'}.get(
        t, t.__name__)


#: The largest limit accepted (about 1.1e12): 34 years in ms, a PiB in
#: KiB, a TiB in bytes.  Anything above is a mistake, and would overflow
#: the arithmetic of the program supervisor.
MAX_LIMIT = 2 ** 40


def limit(environ, key, default=None, allow_zero=False):
    """A limit (time in ms, memory in KiB, size in bytes) as an ``int``.

    Accepts whole numbers up to :data:`MAX_LIMIT` (and floats that are
    whole, as JSON front ends send them); anything negative, fractional,
    too large, NaN, infinite or not a number is a :class:`Failure` naming
    the key.  A missing or null key gives ``default``.
    """
    value = environ.get(key)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (
        value == 0 and not allow_zero
    ) or value > MAX_LIMIT:
        raise Failure(
            'job %r: key %r must be a %s whole number up to %d, not %s'
            % (_job(environ), key, 'non-negative' if allow_zero else 'positive',
               MAX_LIMIT, _shown(value))
        )
    return value


def _shown(value):
    """``repr(value)``, shortened: a 400-digit number is not worth printing."""
    text = repr(value) if not isinstance(value, int) or value.bit_length() < 200 \
        else 'a number of about %d digits' % int(value.bit_length() * 0.30103)
    return text if len(text) <= 80 else text[:77] + '...'


def flag(environ, key, default=False):
    """A true/false key; JSON booleans, 0/1 and "true"/"false" accepted."""
    value = environ.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ('true', 'false', 'yes', 'no', '1', '0'):
        return value.lower() in ('true', 'yes', '1')
    raise Failure(
        'job %r: key %r must be true or false, not %r' % (_job(environ), key, value)
    )
