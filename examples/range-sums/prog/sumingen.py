"""The generator of the sample problem's tests: writes sum0.in ... sum3.in
into the current directory (the outputs come from the model solution).

The tests are stored in the package; this program says how they were made
and makes them again, identically (fixed seeds):
``sio-judge --generate examples/range-sums``.
"""

import random

# name -> (seed, n, q, largest absolute value, shortest range)
RANDOM_TESTS = {
    'sum1': (2, 10, 10, 100, 1),
    # sums far beyond 32 bits: catches solutions that overflow
    'sum2': (3, 1000, 1000, 10 ** 9, 500),
    # many long ranges: catches solutions that add ranges up one by one
    'sum3': (4, 20000, 20000, 100, 15000),
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


def write(name, values, questions):
    lines = ['%d %d' % (len(values), len(questions)), ' '.join(map(str, values))]
    lines += ['%d %d' % question for question in questions]
    with open(name + '.in', 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main():
    write('sum0', *EXAMPLE)
    for name, params in RANDOM_TESTS.items():
        write(name, *random_test(*params))


main()
