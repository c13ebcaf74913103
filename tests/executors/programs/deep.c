#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
/* Recursion argv[1] MiB deep: it goes on until its frames take that much
   stack, every page of them touched.  Frames are of about a KiB, or of
   argv[2] KiB (a large local array: the stack then grows by that much at
   once). */
static uintptr_t top, wanted;

static long down(long frame_bytes)
{
    volatile char frame[frame_bytes];
    for (long i = 0; i < frame_bytes; i += 512)
        frame[i] = 1;
    if (top - (uintptr_t)frame >= wanted)
        return frame[0];
    return down(frame_bytes) + frame[0];
}

int main(int argc, char **argv)
{
    char here;
    top = (uintptr_t)&here;
    wanted = (uintptr_t)atol(argv[1]) << 20;
    long frame_kib = argc > 2 ? atol(argv[2]) : 1;
    printf("%ld\n", down(frame_kib * 1024) > 0 ? 1L : 0L);
    return 0;
}
