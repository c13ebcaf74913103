#include <stdio.h>
#include <string.h>
/* Reads the file named on stdin and writes the file named next: says what worked. */
int main(void) {
    char readp[4096], writep[4096];
    if (scanf("%4095s %4095s", readp, writep) != 2) return 2;
    FILE *r = fopen(readp, "r");
    printf("read %s\n", r ? "yes" : "no");
    FILE *w = fopen(writep, "w");
    printf("write %s\n", w && fputs("x", w) >= 0 && fclose(w) == 0 ? "yes" : "no");
    return 0;
}
