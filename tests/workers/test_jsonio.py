"""The environ codec's fast path agrees with simplejson, its reference."""

import json
import random

import pytest
import simplejson

from sio.workers import _jsonio

CHARS = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\x00', '\x1f', '\x7f', 'é', 'ż', '€',
         '\U0001f600', '\u2028', '\ud800']


def _text(rng, longest):
    return ''.join(rng.choice(CHARS) for _ in range(rng.randrange(longest)))


def _value(rng, depth=0):
    kind = rng.randrange(9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < .5
    if kind == 2:
        return rng.randint(-10 ** 20, 10 ** 20)
    if kind == 3:
        return rng.choice([0.0, -0.0, 1.5, 1e300, 1e-300,
                           rng.random() * 10 ** rng.randint(-30, 30)])
    if kind in (4, 5):
        return _text(rng, 8)
    if kind == 6:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return {_text(rng, 4): _value(rng, depth + 1) for _ in range(rng.randrange(4))}
    return tuple(_value(rng, depth + 1) for _ in range(2))


def _same(a, b):
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_values_encode_and_decode_as_simplejson_does():
    rng = random.Random(5)
    for _ in range(3000):
        value = _value(rng)
        text = _jsonio.dumps(value)
        assert text == simplejson.dumps(value)
        assert _same(_jsonio.loads(text), simplejson.loads(text))
        other = json.dumps(value, indent=rng.choice([None, 1]), ensure_ascii=rng.random() < .5)
        assert _same(_jsonio.loads(other), simplejson.loads(other))


@pytest.mark.parametrize('text', [
    '-0', '0', '-1.5E+3', '1e5', '12345678901234567890123', ' {"a" : [ 1 , 2 ] } ',
    '"\\ud83d\\ude00"', '"\\/"', '{"a": 1, "a": 2}'])
def test_accepted_texts_decode_as_simplejson_decodes_them(text):
    assert _same(_jsonio.loads(text), simplejson.loads(text))


@pytest.mark.parametrize('text', [
    '', ' ', '01', '1.', '.5', '+1', '-', '1e', '1e+', '[1,]', '{"a":1,}', '{"a"}',
    '"\x01"', '"\\x"', 'nul', '[1 2]', '{1: 2}', '"abc', '-01', '1.5e+', 'truex', '[',
    '{"a":', '"\\u12"', 'NaN', '[Infinity]'])
def test_malformed_texts_get_simplejsons_error(text):
    with pytest.raises(ValueError) as ours:
        _jsonio.loads(text)
    with pytest.raises(ValueError) as reference:
        simplejson.loads(text)
    assert str(ours.value) == str(reference.value)


def test_values_it_does_not_take_go_to_simplejson():
    assert _jsonio.dumps({1: 'a'}) == simplejson.dumps({1: 'a'})
    with pytest.raises(ValueError):
        _jsonio.dumps(float('nan'))
    circular = []
    circular.append(circular)
    with pytest.raises((ValueError, RecursionError)):
        _jsonio.dumps(circular)
