#include <stdlib.h>
#include <string.h>
/* Touches 32 MiB, then ends well.  The empty asm makes the memory escape,
   so the compiler cannot drop the allocation and the writes. */
int main(void) {
    char *p = malloc(32 << 20);
    if (!p) return 1;
    memset(p, 1, 32 << 20);
    __asm__ volatile("" : : "r"(p) : "memory");
    return p[12345] - 1;
}
