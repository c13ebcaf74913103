// Generates the tests that are not in in/: three named for the task, and
// two files whose names are no test's, which OIOIOI's re_string leaves out.
#include <cstdio>
#include "addlib.h"

int main()
{
    static const struct { const char *name; long a, b; } tests[] = {
        {"add1b.in", 5, 7},
        {"add2a.in", 999999, 1},
        {"add2b.in", 123456, 654321},
        {"add3.in.old", 1, 1},
        {"notes.txt", 2, 2},
    };
    for (const auto &test : tests)
        if (!add_write_test(test.name, test.a, test.b))
            return 1;
    std::printf("%d files written\n", (int)(sizeof tests / sizeof tests[0]));
    return 0;
}
