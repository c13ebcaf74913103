/*
 * sio-supervisor --serve FD: a resident supervisor for unprotected runs (see
 * sio/workers/process/_resident.py, which starts one per worker process).
 *
 * Starting the supervisor for every run costs an execve of it, and the
 * worker's fork of itself, about as much as the run of a small program.
 * Instead, this process waits on the socket FD (SOCK_SEQPACKET) for runs,
 * and forks itself for each: the fork is what `sio-supervisor OPTIONS --
 * PROGRAM` would have been, with the same descriptors, working directory,
 * environment and a session of its own, and does exactly what it would have
 * done (supervisor.c), reporting on its result descriptor.  Being forked
 * from this small process, it measures the program from the same size.
 *
 * A request is one message: NUL-terminated strings -- the descriptor
 * numbers the passed descriptors (SCM_RIGHTS) take, space-separated; the
 * working directory; the number of environment entries, and the entries;
 * the supervisor's command line, from its name on; the result descriptor
 * is the first one passed -- answered by the PID of the run's process,
 * or by "error=N" (an errno) when none was made.  Ended runs are reaped when
 * the next request comes, so that the worker can open a process descriptor
 * of a run before it is gone.  The end of the socket ends this process, and
 * so does the end of whoever started it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor.h"

#define REQUEST_BYTES (256 * 1024)
#define MAX_PASSED 16
#define MAX_STRINGS 4096
/* Where passed descriptors wait before they take their numbers. */
#define PARKING 1000
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

struct request {
    int fds[MAX_PASSED], targets[MAX_PASSED], count;
    char *strings[MAX_STRINGS + 1];
    int string_count;
};

/* Splits the message into its strings; false when it is malformed. */
static int split(char *data, size_t size, struct request *r)
{
    r->string_count = 0;
    for (size_t at = 0; at < size; at += strlen(data + at) + 1) {
        if (r->string_count == MAX_STRINGS || memchr(data + at, 0, size - at) == NULL)
            return 0;
        r->strings[r->string_count++] = data + at;
    }
    r->strings[r->string_count] = NULL;
    if (r->string_count < 4)
        return 0;
    char *at = r->strings[0], *end;
    for (int i = 0; i < r->count; i++) {
        long target = strtol(at, &end, 10);
        if (end == at || target < 0 || target >= PARKING)
            return 0;
        r->targets[i] = (int)target;
        at = end;
    }
    return 1;
}

/* Receives one request; 0 at the end of the socket, -1 for a bad one. */
static int receive(int sock, char *data, struct request *r)
{
    char control[CMSG_SPACE(sizeof(int) * MAX_PASSED)];
    struct iovec part = {data, REQUEST_BYTES};
    struct msghdr message = {0};
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    ssize_t size;
    do
        size = recvmsg(sock, &message, MSG_CMSG_CLOEXEC);
    while (size < 0 && errno == EINTR);
    if (size <= 0)
        return 0;
    r->count = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            memcpy(r->fds + r->count, CMSG_DATA(c), sizeof(int) * n);
            r->count += n;
        }
    if ((message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || !split(data, (size_t)size, r))
        return -1;
    return 1;
}

static int is_target(const struct request *r, int fd)
{
    for (int i = 0; i < r->count; i++)
        if (r->targets[i] == fd)
            return 1;
    return 0;
}

/* Closes the descriptors from `low` to `high`. */
static void close_between(unsigned int low, unsigned int high)
{
    if (low > high)
        return;
    if (syscall(SYS_close_range, low, high, 0) == 0)
        return;
    for (unsigned int fd = low; fd <= high && fd < PARKING + MAX_PASSED; fd++)
        close((int)fd); /* a kernel before 5.9 */
}

/* In the fork: takes the run's descriptors, directory and session, and
   runs as the supervisor would have. */
static void become_run(int sock, struct request *r)
{
    close(sock);
    for (int i = 0; i < r->count; i++)
        r->fds[i] = fcntl(r->fds[i], F_DUPFD_CLOEXEC, PARKING);
    for (int i = 0; i < r->count; i++)
        if (r->fds[i] < 0 || dup2(r->fds[i], r->targets[i]) < 0)
            _exit(USAGE_EXIT);
    /* Nothing else of this process is passed on. */
    int low = 0;
    for (int fd = 0; fd < PARKING + MAX_PASSED; fd++)
        if (is_target(r, fd)) {
            if (fd > low)
                close_between((unsigned int)low, (unsigned int)fd - 1);
            low = fd + 1;
        }
    close_between((unsigned int)low, ~0U);
    static char *env[MAX_STRINGS + 1];
    long env_count = strtol(r->strings[2], NULL, 10);
    if (env_count < 0 || env_count > r->string_count - 4)
        _exit(USAGE_EXIT);
    if (chdir(r->strings[1]) != 0 || setsid() < 0) {
        /* The result descriptor is passed first. */
        dprintf(r->targets[0], "failed=cwd errno=%d\n", errno);
        _exit(0);
    }
    memcpy(env, r->strings + 3, sizeof(char *) * env_count);
    env[env_count] = NULL;
    environ = env;
    _exit(supervisor_main(r->string_count - 3 - (int)env_count,
                          r->strings + 3 + env_count));
}

int serve(int sock)
{
    static char data[REQUEST_BYTES];
    static struct request r;
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return 0;
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        int got = receive(sock, data, &r);
        if (got == 0)
            return 0;
        /* Ended runs are reaped only now: the worker opened a process
           descriptor of each before it asked for another run. */
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        char answer[32];
        if (got < 0) {
            snprintf(answer, sizeof answer, "error=%d", EINVAL);
        } else {
            pid_t run = fork();
            if (run == 0)
                become_run(sock, &r);
            if (run < 0)
                snprintf(answer, sizeof answer, "error=%d", errno);
            else
                snprintf(answer, sizeof answer, "%d", (int)run);
        }
        for (int i = 0; i < r.count; i++)
            close(r.fds[i]);
        if (send(sock, answer, strlen(answer), MSG_NOSIGNAL) < 0)
            return 0;
    }
}
