/* Memory outside the address space: /dev/shm, a memfd, System V shared
   memory, a POSIX message queue, and files in its working directory.
   Each takes up to 256 MiB, and up to 100000 empty files (an inode each);
   it reports what it got. */
#include "attack.h"
#include <mqueue.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#define MIB (1024L * 1024L)

static long fill(int fd, long limit)
{
    static char block[1 << 16];
    long total = 0;
    memset(block, 'x', sizeof block);
    while (total < limit) {
        ssize_t n = write(fd, block, sizeof block);
        if (n <= 0)
            break;
        total += n;
    }
    return total / MIB;
}

int main(int argc, char **argv)
{
    (void)argv;
    signal(SIGXFSZ, SIG_IGN); /* a file over its size limit: EFBIG */
    int fd = open("/dev/shm/sio-attack", O_RDWR | O_CREAT, 0600);
    note("shm:%s", fd >= 0 ? "made" : "refused");
    if (fd >= 0)
        note("shm-mib=%ld", fill(fd, 256 * MIB));
    fd = (int)syscall(SYS_memfd_create, "sio-attack", 0);
    note("memfd:%s", fd >= 0 ? "made" : "refused");
    if (fd >= 0)
        note("memfd-mib=%ld", fill(fd, 256 * MIB));
    int id = shmget(IPC_PRIVATE, 256 * MIB, IPC_CREAT | 0600);
    note("sysv:%s", id >= 0 ? "made" : "refused");
    struct mq_attr attr = {0, 10, 8192, 0};
    mqd_t queue = mq_open("/sio-attack", O_RDWR | O_CREAT, 0600, &attr);
    note("mqueue:%s", queue != (mqd_t)-1 ? "made" : "refused");
    fd = open("scratch", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    note("dir-mib=%ld", fd >= 0 ? fill(fd, 256 * MIB) : -1L);
    long files = 0;
    char name[32];
    for (; files < 100000; files++) {
        snprintf(name, sizeof name, "f%ld", files);
        int f = open(name, O_WRONLY | O_CREAT, 0600);
        if (f < 0)
            break;
        close(f);
    }
    note("files=%ld", files);
    return finish(argc);
}
