/* The supervisor and sandbox init: trace them, signal them, write to
   their descriptors or memory through /proc (signal 0 only asks whether
   a signal would be allowed). */
#include "attack.h"
#include <sys/ptrace.h>

static int traced, signalled, fds, mem;

static void attack(pid_t pid)
{
    char path[64];
    if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0) {
        traced++;
        ptrace(PTRACE_DETACH, pid, 0, 0);
    }
    if (kill(pid, 0) == 0)
        signalled++;
    for (int n = 0; n < 16; n++) {
        snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, n);
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            fds++;
            close(fd);
        }
    }
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        mem++;
        close(fd);
    }
}

int main(int argc, char **argv)
{
    (void)argv;
    int seen = other_processes(attack);
    note("seen=%d traced=%d signalled=%d fds=%d mem=%d", seen, traced, signalled, fds, mem);
    return finish(argc);
}
