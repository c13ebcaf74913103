#include <stdlib.h>
#include <string.h>
/* Asks for argv[1] MiB at once and uses it without looking: under a smaller
   limit malloc() returns NULL, and writing to it is SIGSEGV. */
int main(int argc, char **argv)
{
    size_t size = (size_t)atol(argv[1]) << 20;
    char *block = malloc(size);
    memset(block, 1, size);
    __asm__ volatile("" : : "r"(block) : "memory");
    return block[size - 1] - 1;
}
