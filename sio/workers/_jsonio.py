"""Environ encoding: simplejson, with a start-up fast path.

Importing ``simplejson`` (or the standard ``json``) pulls in ``re`` and
``decimal`` and costs several milliseconds, about as much as starting the
interpreter.  A plain environ -- dicts, lists, strings, numbers -- is
decoded and encoded here by CPython's own C accelerator ``_json``, the same
code ``json`` uses, without those imports.  Anything the fast path does not
take (a syntax error to report, a value it cannot encode, an interpreter
without ``_json``) goes to simplejson, which is the reference behaviour.
"""

try:
    import _json
except ImportError:  # pragma: no cover - not CPython
    _json = None

_WHITESPACE = ' \t\n\r'


class _DecoderContext:
    # The attributes _json.make_scanner reads from its context object.
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    memo = None

    @staticmethod
    def parse_constant(name):
        return {'NaN': float('nan'), 'Infinity': float('inf'),
                '-Infinity': float('-inf')}[name]


_scanner = None
_encoder = None


def _fast_loads(text):
    global _scanner
    if _scanner is None:
        _scanner = _json.make_scanner(_DecoderContext())
    start = len(text) - len(text.lstrip(_WHITESPACE))
    value, end = _scanner(text, start)
    if text[end:].strip(_WHITESPACE):
        raise ValueError('extra data')
    return value


def _refuse(obj):
    raise TypeError(type(obj).__name__)


def _fast_dumps(obj):
    global _encoder
    if _encoder is None:
        _encoder = _json.make_encoder(
            {}, _refuse, _json.encode_basestring_ascii, None, ': ', ', ',
            False, False, True,
        )
    return ''.join(_encoder(obj, 0))


def loads(text):
    """Decode JSON text; errors are simplejson's, with line and column."""
    if _json is not None:
        try:
            return _fast_loads(text)
        except Exception:  # let simplejson produce the precise error
            pass
    import simplejson

    return simplejson.loads(text)


def dumps(obj):
    """Encode ``obj`` as one line of ASCII JSON."""
    if _json is not None:
        try:
            return _fast_dumps(obj)
        except Exception:  # circular, unusual types: simplejson decides
            pass
    import simplejson

    return simplejson.dumps(obj)
