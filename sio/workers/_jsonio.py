"""Environ encoding: simplejson, with a start-up fast path.

Importing ``simplejson`` (or the standard ``json``) pulls in ``re`` and
``enum`` and costs more than starting the interpreter does.  A plain
environ -- dicts, lists, strings, numbers, booleans, null -- is decoded
and encoded here in plain Python with no imports at all (the string work is
done by ``str.find`` and ``str.translate``).  Anything the fast path does
not take (a syntax error to report, ``NaN``, a value of another type, a
circular structure) goes to simplejson, which is the reference behaviour.
"""

_WHITESPACE = ' \t\n\r'
_ESCAPED = {index: '\\u%04x' % index for index in list(range(32)) + [0x7f]}
_ESCAPED.update({ord('\b'): '\\b', ord('\f'): '\\f'})
# Escaped first, by str.replace (much faster than str.translate).
_COMMON_ESCAPES = (('\\', '\\\\'), ('"', '\\"'), ('\n', '\\n'), ('\r', '\\r'), ('\t', '\\t'))
_CONTROL = {index: None for index in range(32)}
_UNESCAPED = (('\\"', '"'), ('\\/', '/'), ('\\b', '\b'), ('\\f', '\f'), ('\\n', '\n'),
              ('\\r', '\r'), ('\\t', '\t'))
_NUMBER_CHARS = frozenset('0123456789+-.eE')
_CONSTANTS = (('true', True), ('false', False), ('null', None))


class _Refused(Exception):
    """The fast path does not take this text or value."""


# -- encoding ------------------------------------------------------------------

def _non_ascii(char):
    code = ord(char)
    if code < 0x80:
        return char
    if code < 0x10000:
        return '\\u%04x' % code
    code -= 0x10000
    return '\\u%04x\\u%04x' % (0xd800 | (code >> 10), 0xdc00 | (code & 0x3ff))


def _string(text):
    for char, escape in _COMMON_ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    if not text.isprintable():
        text = text.translate(_ESCAPED)
    if not text.isascii():
        text = ''.join(map(_non_ascii, text))
    return '"' + text + '"'


def _encode(obj, parts):
    kind = type(obj)
    if kind is str:
        parts.append(_string(obj))
    elif obj is None or kind is bool:
        parts.append('null' if obj is None else 'true' if obj else 'false')
    elif kind is int:
        parts.append(int.__repr__(obj))
    elif kind is float and obj - obj == 0:  # finite
        parts.append(float.__repr__(obj))
    elif kind is dict:
        parts.append('{')
        for index, (key, value) in enumerate(obj.items()):
            if type(key) is not str:
                raise _Refused
            parts.append(', ' + _string(key) + ': ' if index else _string(key) + ': ')
            _encode(value, parts)
        parts.append('}')
    elif kind is list or kind is tuple:
        parts.append('[')
        for index, value in enumerate(obj):
            if index:
                parts.append(', ')
            _encode(value, parts)
        parts.append(']')
    else:
        raise _Refused


# -- decoding ------------------------------------------------------------------

def _skip(text, index):
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _closing_quote(text, index):
    """The index of the quote that ends the string starting at ``index``."""
    quote = text.find('"', index)
    while quote > 0:
        backslashes = 0
        while text[quote - 1 - backslashes] == '\\':
            backslashes += 1
        if backslashes % 2 == 0:
            return quote
        quote = text.find('"', quote + 1)
    raise _Refused


def _unescape_part(part):
    """A piece of a string between two escaped backslashes, decoded."""
    if '\\' not in part:
        return part
    for code, char in _UNESCAPED:
        part = part.replace(code, char)
    pieces = part.split('\\')
    decoded = [pieces[0]]
    for piece in pieces[1:]:
        if piece[:1] != 'u':
            raise _Refused
        decoded.append(chr(_hex4(piece, 1)) + piece[5:])
    return ''.join(decoded)


def _hex4(text, index):
    digits = text[index:index + 4]
    if len(digits) != 4 or not all(c in '0123456789abcdefABCDEF' for c in digits):
        raise _Refused
    code = int(digits, 16)
    if 0xd800 <= code < 0xe000:
        raise _Refused  # surrogates: simplejson pairs them up
    return code


def _parse_string(text, index):
    end = _closing_quote(text, index)
    raw = text[index:end]
    if not raw.isprintable() and len(raw.translate(_CONTROL)) != len(raw):
        raise _Refused  # control characters must be escaped
    if '\\' not in raw:
        return raw, end + 1
    return '\\'.join(map(_unescape_part, raw.split('\\\\'))), end + 1


def _digits_end(token, index):
    while index < len(token) and token[index].isdigit():
        index += 1
    return index


def _is_number(token):
    """Whether ``token`` follows JSON's grammar of numbers."""
    start = 1 if token.startswith('-') else 0
    index = _digits_end(token, start)
    if index == start or (token[start] == '0' and index - start > 1):
        return False
    if token[index:index + 1] == '.':
        index, start = _digits_end(token, index + 1), index + 1
        if index == start:
            return False
    if token[index:index + 1] in ('e', 'E'):
        index += 2 if token[index + 1:index + 2] in ('+', '-') else 1
        index, start = _digits_end(token, index), index
        if index == start:
            return False
    return index == len(token)


def _parse_number(text, index):
    end = index
    while end < len(text) and text[end] in _NUMBER_CHARS:
        end += 1
    token = text[index:end]
    if not _is_number(token):
        raise _Refused
    if token.lstrip('-').isdigit():
        return int(token), end
    return float(token), end


def _parse_items(text, index, closing, item):
    """``[``/``{`` contents: ``item(text, index)`` per item, comma-separated."""
    index = _skip(text, index)
    if text[index:index + 1] == closing:
        return index + 1
    while True:
        index = _skip(text, item(text, index))
        separator = text[index:index + 1]
        if separator == closing:
            return index + 1
        if separator != ',':
            raise _Refused
        index = _skip(text, index + 1)


def _parse(text, index):
    char = text[index:index + 1]
    if char == '"':
        return _parse_string(text, index + 1)
    if char == '{':
        result = {}

        def member(text, index):
            if text[index:index + 1] != '"':
                raise _Refused
            key, index = _parse_string(text, index + 1)
            index = _skip(text, index)
            if text[index:index + 1] != ':':
                raise _Refused
            result[key], index = _parse(text, _skip(text, index + 1))
            return index
        return result, _parse_items(text, index + 1, '}', member)
    if char == '[':
        values = []

        def element(text, index):
            value, index = _parse(text, index)
            values.append(value)
            return index
        return values, _parse_items(text, index + 1, ']', element)
    for word, value in _CONSTANTS:
        if text.startswith(word, index):
            return value, index + len(word)
    return _parse_number(text, index)


def _fast_loads(text):
    value, end = _parse(text, _skip(text, 0))
    if _skip(text, end) != len(text):
        raise _Refused
    return value


def loads(text):
    """Decode JSON text; errors are simplejson's, with line and column."""
    if isinstance(text, str):
        try:
            return _fast_loads(text)
        except (_Refused, ValueError, IndexError, RecursionError):
            pass  # let simplejson decide, and word the error precisely
    import simplejson

    return simplejson.loads(text)


def dumps(obj):
    """Encode ``obj`` as one line of ASCII JSON."""
    parts = []
    try:
        _encode(obj, parts)
        return ''.join(parts)
    except (_Refused, RecursionError):
        pass  # circular, unusual types: simplejson decides
    import simplejson

    return simplejson.dumps(obj)
