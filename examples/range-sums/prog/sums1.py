"""Too slow: adds up every range element by element, O(n * q)."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    values = [int(x) for x in data[2:2 + n]]
    pos = 2 + n
    for _ in range(q):
        left, right = int(data[pos]), int(data[pos + 1])
        pos += 2
        total = 0
        for i in range(left - 1, right):
            total += values[i]
        print(total)


main()
