"""The verifier of the sample problem's inputs: reads a test on standard
input and exits with status 0 (printing OK) when it follows the statement."""

import sys

LIMIT = 100000


def check(data):
    n, q = int(data[0]), int(data[1])
    assert 1 <= n <= LIMIT and 1 <= q <= LIMIT, 'n or q out of range'
    assert len(data) == 2 + n + 2 * q, 'expected %d numbers' % (2 + n + 2 * q)
    assert all(abs(int(value)) <= 10 ** 9 for value in data[2:2 + n]), 'a value too large'
    for i in range(2 + n, len(data), 2):
        assert 1 <= int(data[i]) <= int(data[i + 1]) <= n, 'a question out of range'
    return n, q


try:
    n, q = check(sys.stdin.read().split())
except (AssertionError, ValueError, IndexError) as e:
    print('WRONG', e)
    sys.exit(1)
print('OK n=%d q=%d' % (n, q))
