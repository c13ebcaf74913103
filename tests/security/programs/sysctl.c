/* Host takeover through /proc: opens kernel settings for writing and never
   writes (the opened descriptor is closed untouched). */
#include "attack.h"

int main(int argc, char **argv)
{
    const char *paths[] = {"/proc/sys/kernel/core_pattern", "/proc/sys/kernel/modprobe",
                           "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger"};
    (void)argv;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        int fd = open(paths[i], O_WRONLY | O_CLOEXEC);
        note("%s:%s", strrchr(paths[i], '/') + 1, fd >= 0 ? "opened" : "refused");
        if (fd >= 0)
            close(fd);
    }
    return finish(argc);
}
