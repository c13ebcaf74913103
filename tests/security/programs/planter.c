/* Plants traps for the worker where it runs: every file the judge may use
   after the run becomes a symbolic link to the canary file named on its
   input, a FIFO, or a link to /dev/zero; its own output, reopened through
   /proc, is aimed at the canary too.  A generator has no input: built with
   -DCANARY='"path"', it aims at that path then. */
#include "attack.h"

int main(int argc, char **argv)
{
    char canary[512];
    const char *names[] = {"out", "checker.out", "chk", "hint", "in", "stderr",
                           "compiler.out", "a.out", "verdict"};
    int planted = 0;
    read_request(argc, argv, canary, sizeof canary);
#ifdef CANARY
    if (!canary[0])
        snprintf(canary, sizeof canary, "%s", CANARY);
#endif
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        unlink(names[i]);
        if (symlink(canary, names[i]) == 0)
            planted++;
    }
    mkfifo("gen-fifo.in", 0666);
    symlink(canary, "gen-link.in");
    symlink("/dev/zero", "gen-zero.in");
    int fd = open("gen-suid.in", O_WRONLY | O_CREAT | O_TRUNC, 04755);
    if (fd >= 0) {
        write(fd, "suid\n", 5);
        fchmod(fd, 04755);
        close(fd);
    }
    fd = open("gen-plain.in", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        write(fd, "plain\n", 6);
        close(fd);
    }
    int reopened = open("/proc/self/fd/1", O_WRONLY | O_APPEND);
    note("planted=%d reopen-stdout:%s", planted, reopened >= 0 ? "writable" : "refused");
    return finish(argc);
}
