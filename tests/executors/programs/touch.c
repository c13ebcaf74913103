#include <stdlib.h>
#include <string.h>
/* Touches argv[1] MiB in one block, then ends well. */
int main(int argc, char **argv)
{
    size_t size = (size_t)atol(argv[1]) << 20;
    char *block = malloc(size);
    if (!block)
        return 1;
    memset(block, 1, size);
    __asm__ volatile("" : : "r"(block) : "memory");
    return block[size / 2] - 1;
}
