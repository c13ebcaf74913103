/* A fork bomb that counts: each child waits forever; reports how many
   processes it made (up to 5000) before the kernel said no. */
#include "attack.h"

int main(int argc, char **argv)
{
    (void)argv;
    int made = 0;
    for (; made < 5000; made++) {
        pid_t pid = fork();
        if (pid == 0)
            for (;;)
                pause();
        if (pid < 0)
            break;
    }
    note("processes=%d", made);
    return finish(argc);
}
