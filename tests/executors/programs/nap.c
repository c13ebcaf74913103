#include <time.h>
/* Sleeps 300 ms. */
int main(void)
{
    struct timespec nap = {0, 300 * 1000 * 1000};
    while (nanosleep(&nap, &nap) != 0)
        ;
    return 0;
}
