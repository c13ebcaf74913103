"""The netstring framing and the messages of sioworkersd's protocol."""

import json

import pytest

from sio.sioworkersd import protocol


def test_netstrings_split_anywhere_are_put_back_together():
    stream = b'5:hello,0:,3:a,b,'
    for split in range(len(stream) + 1):
        decoder = protocol.NetstringDecoder()
        found = decoder.feed(stream[:split]) + decoder.feed(stream[split:])
        assert found == [b'hello', b'', b'a,b'], split


def test_byte_by_byte():
    decoder = protocol.NetstringDecoder()
    found = []
    for byte in b'11:{"type": 1},2:ok,':
        found += decoder.feed(bytes([byte]))
    assert found == [b'{"type": 1}', b'ok']


def test_an_oversized_netstring_is_skipped_and_the_next_one_read():
    decoder = protocol.NetstringDecoder(limit=4)
    found = decoder.feed(b'10:0123') + decoder.feed(b'456789,2:ok,')
    assert [type(f) for f in found] == [protocol.Oversized, bytes]
    assert found[0].length == 10 and found[1] == b'ok'


def test_the_default_bound_is_one_mebibyte():
    decoder = protocol.NetstringDecoder()
    assert decoder.feed(protocol.frame(b'x' * 2 ** 20)) == [b'x' * 2 ** 20]
    (skipped,) = decoder.feed(protocol.frame(b'x' * (2 ** 20 + 1)))
    assert skipped.length == 2 ** 20 + 1


@pytest.mark.parametrize('stream', [
    b'hello', b':abc,', b'3:abcd', b'-1:a,', b'1 :a,', b'9' * 13, b'4:abcde,'])
def test_a_broken_stream_is_a_framing_error(stream):
    with pytest.raises(protocol.FramingError):
        protocol.NetstringDecoder().feed(stream)


def test_a_length_still_coming_is_not_an_error():
    assert protocol.NetstringDecoder().feed(b'123456') == []


def test_encode_is_one_json_netstring():
    encoded = protocol.encode(protocol.result(7, {'a': 'ż'}))
    length, rest = encoded.split(b':', 1)
    assert rest.endswith(b',') and int(length) == len(rest) - 1
    assert json.loads(rest[:-1]) == {'type': 'result', 'id': 7, 'result': {'a': 'ż'}}


def test_encode_refuses_a_message_over_the_bound():
    with pytest.raises(protocol.TooLarge):
        protocol.encode(protocol.result(1, 'x' * 2 ** 20))


@pytest.mark.parametrize('payload, words', [
    (b'{"type": "call"', 'not JSON'), (b'\xff', 'not JSON'), (b'[]', 'not a JSON object'),
    (b'{"type": "hi"}', 'unknown type'), (b'{"id": 1}', 'unknown type')])
def test_decode_names_what_is_wrong(payload, words):
    with pytest.raises(protocol.BadMessage, match=words):
        protocol.decode(payload)


def test_messages_have_the_fields_of_the_protocol():
    assert protocol.decode(b'{"type": "hello_ack"}') == {'type': 'hello_ack'}
    assert protocol.hello('w', 2, 512, False) == {'type': 'hello', 'data': {
        'name': 'w', 'concurrency': 2, 'available_ram_mb': 512, 'can_run_cpu_exec': False}}
    assert protocol.error(3, 'method_not_found', 'x') == {
        'type': 'error', 'id': 3, 'kind': 'method_not_found', 'data': 'x'}
    assert protocol.error(3, 'exception', 'x', 'tb')['traceback'] == 'tb'
