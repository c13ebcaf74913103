#include <stdio.h>
#include <time.h>
/* Burns about 300 ms of CPU time, then prints it. */
int main(void) {
    volatile unsigned long x = 0;
    while ((double)clock() / CLOCKS_PER_SEC < 0.3) x++;
    printf("%lu\n", x > 0);
    return 0;
}
