#include <stdio.h>
/* A checker: OK with a comment and 50 percent if the output starts with 3, else WRONG. */
int main(int argc, char **argv) {
    FILE *out = fopen(argv[2], "r"); int v = 0;
    if (out && fscanf(out, "%d", &v) == 1 && v == 3) printf("OK\nhalf right\n50\n");
    else printf("WRONG\nexpected 3\n");
    return 0;
}
