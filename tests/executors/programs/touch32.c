#include <stdlib.h>
#include <string.h>
/* Touches 32 MiB, then ends well. */
int main(void) { char *p = malloc(32 << 20); if (!p) return 1; memset(p, 1, 32 << 20); return p[12345] - 1; }
