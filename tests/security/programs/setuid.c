/* A set-uid file: on its own output, and in its working directory. */
#include "attack.h"
#include <sys/statvfs.h>

int main(int argc, char **argv)
{
    struct stat info;
    struct statvfs fs;
    (void)argv;
    note("stdout:%s", fchmod(1, 04755) == 0 ? "made-setuid" : "refused");
    int fd = open("suid", O_WRONLY | O_CREAT | O_TRUNC, 04755);
    if (fd >= 0) {
        fchmod(fd, 04755);
        fstat(fd, &info);
        note("file:%s", (info.st_mode & S_ISUID) ? "setuid-bit" : "no-bit");
        close(fd);
    } else {
        note("file:refused");
    }
    note("cwd-nosuid:%s", statvfs(".", &fs) == 0 && (fs.f_flag & ST_NOSUID) ? "yes" : "no");
    return finish(argc);
}
