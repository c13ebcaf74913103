/* Verifies a test input on standard input.  OIOIOI passes the test's file
 * name as the first argument: the tests of group 2 must be big ones. */
#include <stdio.h>
#include <string.h>
#include "addlib.h"

int main(int argc, char **argv)
{
    const char *name = argc > 1 ? argv[1] : "";
    long a, b;
    int big = strncmp(name, "add2", 4) == 0;

    if (!add_read_number(stdin, &a) || !add_read_number(stdin, &b)) {
        printf("WRONG %s: two numbers expected\n", name);
        return 1;
    }
    if (a < 0 || b < 0 || a > ADD_MAX || b > ADD_MAX) {
        printf("WRONG %s: a number out of range\n", name);
        return 1;
    }
    if (big && a + b < ADD_MAX / 2) {
        printf("WRONG %s: a group 2 test needs a sum of at least %ld\n", name, ADD_MAX / 2);
        return 1;
    }
    printf("OK %s: %s\n", name, big ? "big" : "small");
    return 0;
}
