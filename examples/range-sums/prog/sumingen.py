"""Writes the tests of the sample problem into tests/: N.in and N.out.

The tests are stored in the repository; this script says how they were
made and makes them again, identically (fixed seeds):

    python make_tests.py
"""

import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (seed, n, q, largest absolute value, shortest range)
RANDOM_TESTS = {
    '2': (2, 10, 10, 100, 1),
    # sums far beyond 32 bits: catches solutions that overflow
    '3': (3, 1000, 1000, 10 ** 9, 500),
    # many long ranges: catches solutions that add ranges up one by one
    '4': (4, 20000, 20000, 100, 15000),
}
EXAMPLE = ([1, 2, 3, 4, 5], [(1, 5), (2, 3), (4, 4)])


def random_test(seed, n, q, largest, shortest):
    rng = random.Random(seed)
    values = [rng.randint(-largest, largest) for _ in range(n)]
    if largest >= 10 ** 9:
        values = [rng.randint(largest // 2, largest) for _ in range(n)]
    questions = []
    for _ in range(q):
        length = rng.randint(min(shortest, n), n)
        left = rng.randint(1, n - length + 1)
        questions.append((left, left + length - 1))
    return values, questions


def answers(values, questions):
    prefix = [0]
    for value in values:
        prefix.append(prefix[-1] + value)
    return [prefix[right] - prefix[left - 1] for left, right in questions]


def write(name, values, questions):
    lines = ['%d %d' % (len(values), len(questions)), ' '.join(map(str, values))]
    lines += ['%d %d' % question for question in questions]
    path = os.path.join(HERE, 'tests', name)
    with open(path + '.in', 'w') as f:
        f.write('\n'.join(lines) + '\n')
    with open(path + '.out', 'w') as f:
        f.write('\n'.join(map(str, answers(values, questions))) + '\n')


def main():
    os.makedirs(os.path.join(HERE, 'tests'), exist_ok=True)
    write('1', *EXAMPLE)
    for name, params in RANDOM_TESTS.items():
        write(name, *random_test(*params))


if __name__ == '__main__':
    main()
