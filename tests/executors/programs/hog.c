#include <stdlib.h>
#include <string.h>
#include <stdio.h>
/* Touches memory one MiB at a time, without end; argv[1] MiB if given. */
int main(int argc, char **argv) {
    long want = argc > 1 ? atol(argv[1]) : -1;
    for (long i = 0; want < 0 || i < want; i++) {
        char *p = malloc(1 << 20);
        if (!p) return 1;
        memset(p, 1, 1 << 20);
    }
    return 0;
}
