/* Threads made with raw clone (no C library bookkeeping), each waiting
   forever; counts how many the kernel let it make (up to 3000). */
#include "attack.h"
#include <sched.h>
#include <sys/mman.h>

#define STACK 4096
#define MOST 3000

static int wait_forever(void *unused)
{
    (void)unused;
    for (;;)
        pause();
    return 0;
}

int main(int argc, char **argv)
{
    (void)argv;
    int made = 0;
    char *stacks = mmap(NULL, (long)MOST * STACK, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (stacks == MAP_FAILED)
        return 2;
    for (; made < MOST; made++) {
        int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
                    | CLONE_SYSVSEM;
        if (clone(wait_forever, stacks + (long)(made + 1) * STACK, flags, NULL) < 0)
            break;
    }
    note("threads=%d", made);
    finish(argc);
    fflush(stdout);
    _exit(0); /* ends every thread */
}
