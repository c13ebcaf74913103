// The output checker, run as "chk IN OUT HINT": the right sum scores in
// full, a sum off by one gets a third of the points, anything else none.
#include <cstdio>
#include <cstdlib>
#include "addlib.h"

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    FILE *in = std::fopen(argv[1], "r"), *out = std::fopen(argv[2], "r");
    FILE *hint = std::fopen(argv[3], "r");
    long a, b, answer, expected;
    if (!add_read_number(in, &a) || !add_read_number(in, &b) ||
        !add_read_number(hint, &expected) || expected != a + b)
        return 3;  // the test itself is broken: a system error
    if (!add_read_number(out, &answer)) {
        std::printf("WRONG\nno number in the output\n");
    } else if (answer == expected) {
        std::printf("OK\n");
    } else if (std::labs(answer - expected) == 1) {
        std::printf("OK\noff by one\n100/3\n");
    } else {
        std::printf("WRONG\nexpected %ld, got %ld\n", expected, answer);
    }
    return 0;
}
