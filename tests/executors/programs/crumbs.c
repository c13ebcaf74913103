#include <stdio.h>
#include <stdlib.h>
/* Allocates argv[1] MiB in 64-byte pieces (the heap grows by brk), keeping
   them; exits with 3 when an allocation fails. */
struct crumb {
    struct crumb *next;
    char rest[56];
};

int main(int argc, char **argv)
{
    long count = atol(argv[1]) * (1L << 20) / (long)sizeof(struct crumb);
    struct crumb *kept = NULL;
    for (long i = 0; i < count; i++) {
        struct crumb *c = malloc(sizeof *c);
        if (!c)
            return 3;
        c->next = kept;
        kept = c;
    }
    printf("%p\n", (void *)kept);
    return 0;
}
