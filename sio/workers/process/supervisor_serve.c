/*
 * sio-supervisor --serve FD: a resident supervisor for unprotected runs (see
 * sio/workers/process/_resident.py, which starts one per worker process).
 *
 * Starting the supervisor for every run costs an execve of it, and the
 * worker's fork of itself, about as much as the run of a small program.
 * Instead, this process keeps a *standby*, a fork of itself waiting on the
 * socket FD (SOCK_SEQPACKET) for the next run.  The standby that receives a
 * request tells this process, which forks the next standby while the run
 * goes on, and becomes what `sio-supervisor OPTIONS -- PROGRAM` would have
 * been: with the same descriptors, working directory, environment and a
 * session of its own, it does exactly what that would have done
 * (supervisor.c), reporting on its result descriptor.  Being forked from
 * this small process, it measures the program from the same size.
 *
 * A request is one message: NUL-terminated strings -- the descriptor
 * numbers the passed descriptors (SCM_RIGHTS) take, space-separated; the
 * working directory; the number of environment entries, and the entries;
 * the supervisor's command line, from its name on; the result descriptor
 * is the first one passed -- answered by the PID of the run's process with
 * a process descriptor of it (SCM_RIGHTS, made by the run itself, so it
 * names it whenever the run ends and whoever reaps it), or by "error=N"
 * (an errno) when none was made.  The end of the socket ends this process,
 * and so does the end of whoever started it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
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
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
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
    resident_run = 1;
    _exit(supervisor_main(r->string_count - 3 - (int)env_count,
                          r->strings + 3 + env_count));
}

/* Answers `text` on the socket, with the descriptor `fd` when it is not -1. */
static int answer(int sock, const char *text, int fd)
{
    struct iovec part = {(void *)text, strlen(text)};
    struct msghdr message = {0};
    char control[CMSG_SPACE(sizeof(int))];
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    if (fd >= 0) {
        memset(control, 0, sizeof control);
        message.msg_control = control;
        message.msg_controllen = sizeof control;
        struct cmsghdr *c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    return sendmsg(sock, &message, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static void close_passed(const struct request *r)
{
    for (int i = 0; i < r->count; i++)
        close(r->fds[i]);
}

/* The standby: waits for the next request and becomes its run, after
   telling this process (`taken`) to make the next standby. */
static void standby(int sock, int taken)
{
    static char data[REQUEST_BYTES];
    static struct request r;
    for (;;) {
        int got = receive(sock, data, &r);
        if (got == 0)
            _exit(0);
        if (got < 0) {
            close_passed(&r);
            char text[32];
            snprintf(text, sizeof text, "error=%d", EINVAL);
            if (answer(sock, text, -1) < 0)
                _exit(0);
            continue;
        }
        /* This is a run now: it goes on if the resident supervisor ends. */
        prctl(PR_SET_PDEATHSIG, 0);
        /* A descriptor of this very process, made before it could have
           ended: the worker waits on it, whoever reaps the process. */
        int self = (int)syscall(SYS_pidfd_open, getpid(), 0);
        char text[32];
        if (self < 0) {
            close_passed(&r);
            snprintf(text, sizeof text, "error=%d", errno);
            if (answer(sock, text, -1) < 0)
                _exit(0);
            continue;
        }
        snprintf(text, sizeof text, "%d", (int)getpid());
        if (answer(sock, text, self) < 0)
            _exit(0);
        if (write(taken, "", 1) != 1) {
            /* The resident supervisor is gone; the worker starts another
               for its next run. */
        }
        close(taken);
        close(self);
        become_run(sock, &r);
    }
}

int serve(int sock)
{
    static char data[REQUEST_BYTES];
    static struct request r;
    pid_t parent = getppid();
    int taken[2];
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        return 0;
    signal(SIGPIPE, SIG_IGN);
    if (pipe2(taken, O_CLOEXEC) != 0)
        return USAGE_EXIT;
    for (;;) {
        /* Ended runs are reaped as they go: the worker waits on process
           descriptors the runs sent it themselves. */
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        /* The next request is taken by a standby forked in advance, so
           that the fork is not on the way of the run that request asks
           for. */
        pid_t resident = getpid();
        pid_t next = fork();
        if (next == 0) {
            close(taken[0]);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != resident)
                _exit(0); /* this process is gone already */
            standby(sock, taken[1]);
        }
        if (next < 0) {
            /* No standby: the next request is refused here. */
            char text[32];
            int fork_errno = errno;
            int got = receive(sock, data, &r);
            if (got == 0)
                return 0;
            close_passed(&r);
            snprintf(text, sizeof text, "error=%d", got < 0 ? EINVAL : fork_errno);
            if (answer(sock, text, -1) < 0)
                return 0;
            continue;
        }
        int watched = (int)syscall(SYS_pidfd_open, next, 0);
        struct pollfd fds[2] = {{taken[0], POLLIN, 0}, {watched, POLLIN, 0}};
        for (;;) {
            int ready = poll(fds, watched >= 0 ? 2 : 1, -1);
            if (ready < 0 && errno == EINTR)
                continue;
            char byte;
            if (ready > 0 && (fds[0].revents & POLLIN) && read(taken[0], &byte, 1) == 1)
                break; /* taken: make the next standby */
            if (ready < 0 || fds[0].revents || (watched >= 0 && fds[1].revents)) {
                /* The standby ended without a request: the socket is gone.
                   Runs still going stop as this process ends (they asked
                   for SIGTERM then). */
                return 0;
            }
        }
        if (watched >= 0)
            close(watched);
    }
}
