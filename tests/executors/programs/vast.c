#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* Maps argv[1] MiB of heap and touches one page of every MiB of it. */
int main(int argc, char **argv)
{
    size_t mib = (size_t)atol(argv[1]);
    char *block = malloc(mib << 20);
    if (!block)
        return 1;
    for (size_t i = 0; i < mib; i++)
        block[i << 20] = 1;
    printf("%d\n", block[(mib - 1) << 20]);
    return 0;
}
