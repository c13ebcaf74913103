/* Kills or stops every process it can see, then ends normally. */
#include "attack.h"

static void stop(pid_t pid)
{
    kill(pid, SIGSTOP);
    kill(pid, SIGKILL);
}

int main(int argc, char **argv)
{
    (void)argv;
    kill(-1, SIGSTOP);
    int seen = other_processes(stop);
    note("killer-seen=%d", seen);
    return finish(argc);
}
