"""Correct: prefix sums, O(n + q)."""
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n, q = int(data[0]), int(data[1])
    prefix = [0] * (n + 1)
    for i in range(n):
        prefix[i + 1] = prefix[i] + int(data[2 + i])
    answers = []
    pos = 2 + n
    for _ in range(q):
        left, right = int(data[pos]), int(data[pos + 1])
        pos += 2
        answers.append(prefix[right] - prefix[left - 1])
    sys.stdout.write('\n'.join(map(str, answers)) + '\n')


main()
