/*
 * sio-supervisor: runs one program under resource limits and reports what it
 * used.  Part of sioworkers (see sio/workers/process/supervisor.py, which builds it
 * as a static binary with supervisor_memory.c, and sio/workers/process/running.py,
 * which starts it).
 *
 *   sio-supervisor [--cpu-ms N] [--wall-ms N] [--memory-kib N] [--file-size N]
 *                  [--processes N] [--result-fd N] [--seccomp-fd N]
 *                  [--control-fd N] [--uid N --gid N] [--close-fd N]
 *                  -- PROGRAM ARGS...
 *
 * --close-fd names a descriptor this process inherited that the program
 * must not (the worker's user namespace): it is closed first.
 *
 * With --uid and --gid (an isolated run; this process then runs as root
 * inside the sandbox with CAP_SETUID, CAP_SETGID and CAP_KILL only), the
 * program runs as that user and group, with no supplementary groups, no
 * capabilities and no way to gain privileges (PR_SET_NO_NEW_PRIVS).  This
 * process is not dumpable, so a program of another user can neither trace
 * it nor open its descriptors through /proc, and it cannot signal it.
 *
 * Why a separate program rather than Python's fork: the program's peak
 * memory (ru_maxrss) starts from the size of the process it was forked from,
 * which here is this small static binary; its limits are set before it
 * runs; its CPU time is watched precisely instead of by the whole seconds
 * of RLIMIT_CPU; and every process it leaves behind is killed, whatever
 * session or group it moved to (this process is their subreaper).
 *
 * With --memory-kib, the program's address space is limited to that, its
 * stack only by that (RLIMIT_STACK is unlimited: glibc gives every thread a
 * stack of RLIMIT_STACK, so a finite one as large as the limit would leave
 * no room for a single thread), and the supervisor watches whether it tried
 * to use more (supervisor_memory.c: the program is traced by this process,
 * and its large requests for memory are answered here).
 *
 * Exactly one line is written to the result descriptor (default 2), as
 * space-separated key=value pairs:
 *   exit_code=N | signal=N     how the program ended
 *   cpu_us=N peak_kib=N        CPU time (user+system) and peak resident memory
 *                              of the program and everything it started
 *   wall_us=N                  wall-clock time from its start to its end
 *   memory_exceeded=0|1        it tried to use more than --memory-kib
 *   cpu_killed=0|1             killed for passing --cpu-ms
 *   wall_killed=0|1            killed for passing --wall-ms (wall-clock time
 *                              from its start)
 *   stopped=0|1                killed because the control descriptor was
 *                              closed (or written to) or a signal asked so
 *   ended_ns=N                 CLOCK_MONOTONIC when the program was reaped
 *                              (to tell which of two programs ended first)
 *   failed=STAGE errno=N       the program could not be started (STAGE is
 *                              rlimit, user, seccomp, exec, or start: no
 *                              process);
 *                              nothing else then
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "supervisor.h"

#define MAX_FILTER_INSTRUCTIONS 4096
/* The shortest pause between two looks at the program's CPU clock. */
#define MIN_PAUSE_NS 100000LL

struct options {
    long long cpu_ms, memory_kib, file_size, processes, uid, gid, wall_ms;
    int result_fd, seccomp_fd, control_fd, close_fd;
    char **argv;
};

struct outcome {
    int status, cpu_killed, wall_killed, stopped;
    long long ended_ns;
    const char *failed_stage;
    int failed_errno;
    long long wall_ns;
    struct memory_watch memory;
};

static const char *stage_names[] = {"rlimit", "seccomp", "exec", "start", "user"};
#define START_STAGE 3
#define USER_STAGE 4
#define OPTION_COUNT 11

static void usage(const char *why)
{
    fprintf(stderr, "sio-supervisor: %s\nusage: sio-supervisor [--cpu-ms N] [--wall-ms N] "
            "[--memory-kib N] [--file-size N] [--processes N] [--result-fd N] "
            "[--seccomp-fd N] [--control-fd N] [--uid N --gid N] [--close-fd N] "
            "-- PROGRAM ARGS...\n",
            why);
    exit(USAGE_EXIT);
}

static long long number(const char *name, const char *text)
{
    char *end;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno || end == text || *end || value < 0) {
        fprintf(stderr, "sio-supervisor: %s needs a non-negative whole number, "
                "not '%s'\n", name, text);
        exit(USAGE_EXIT);
    }
    return value;
}

static void parse(int argc, char **argv, struct options *o)
{
    static const char *names[] = {"--cpu-ms", "--memory-kib", "--file-size",
                                  "--processes", "--result-fd", "--seccomp-fd",
                                  "--control-fd", "--uid", "--gid", "--close-fd",
                                  "--wall-ms"};
    long long values[OPTION_COUNT] = {-1, -1, -1, -1, 2, -1, -1, -1, -1, -1, -1};
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        int which = -1;
        for (int k = 0; k < OPTION_COUNT; k++)
            if (strcmp(argv[i], names[k]) == 0)
                which = k;
        if (which < 0)
            usage("unknown option");
        if (i + 1 >= argc)
            usage("an option without its value");
        values[which] = number(names[which], argv[i + 1]);
    }
    if (i + 1 >= argc)
        usage("no program given after --");
    o->cpu_ms = values[0];
    o->memory_kib = values[1];
    o->file_size = values[2];
    o->processes = values[3];
    o->result_fd = (int)values[4];
    o->seccomp_fd = (int)values[5];
    o->control_fd = (int)values[6];
    o->uid = values[7];
    o->gid = values[8];
    o->close_fd = (int)values[9];
    o->wall_ms = values[10];
    if ((o->uid < 0) != (o->gid < 0) || o->uid == 0 || o->gid == 0)
        usage("--uid and --gid go together, and neither may be 0");
    o->argv = argv + i + 1;
}

/* A compiled seccomp filter (struct filter_instruction[]) from a descriptor. */
static void read_filter(int fd, struct filter_program *filter)
{
    static struct filter_instruction code[MAX_FILTER_INSTRUCTIONS];
    size_t size = 0;
    ssize_t got;
    while ((got = read(fd, (char *)code + size, sizeof code - size)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 || size + got > sizeof code)
            usage("cannot read the seccomp filter");
        size += got;
        if (size == sizeof code)
            break;
    }
    close(fd);
    if (size == 0 || size % sizeof(struct filter_instruction) != 0)
        usage("the seccomp filter is not a whole number of instructions");
    filter->len = size / sizeof(struct filter_instruction);
    filter->instructions = code;
}

/* What the child hands to the program's start, and where it says why the
   program could not start.  The child shares this process's memory
   (CLONE_VM | CLONE_VFORK: nothing is copied, and this process waits until
   the program was executed or the child gave up). */
struct start {
    const struct options *options;
    const struct filter_program *filter;
    struct memory_watch *memory; /* NULL: no memory limit */
    int failed_stage; /* index in stage_names, or -1 */
    int failed_errno;
};

/* In the child: becomes the program, or notes why it could not. */
static int become_program(void *argument)
{
    struct start *start = argument;
    const struct options *o = start->options;
    sigset_t none;
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* Every signal at its default action: an ignored one (SIGPIPE here,
       SIGINT in a background job of a shell) would stay ignored through
       exec, and a program's verdict would depend on who started the job. */
    for (int number = 1; number < NSIG; number++)
        signal(number, SIG_DFL); /* fails, harmlessly, for SIGKILL and SIGSTOP */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* The kernel's CPU limit is only a safety net, a second above the limit
       this process enforces itself. */
    long long cpu_seconds = o->cpu_ms >= 0 ? o->cpu_ms / 1000 + 1 : -1;
    struct memory_watch *memory = start->memory;
    long long limits[][2] = {
        {RLIMIT_CORE, 0}, {RLIMIT_CPU, cpu_seconds},
        {RLIMIT_AS, memory ? memory_address_space(memory) : -1},
        {RLIMIT_FSIZE, o->file_size}, {RLIMIT_NPROC, o->processes},
        /* POSIX message queues are memory outside the address space. */
        {RLIMIT_MSGQUEUE, o->uid >= 0 ? 0 : -1}};
    start->failed_stage = 0;
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        struct rlimit limit = {(rlim_t)limits[i][1], (rlim_t)limits[i][1]};
        if (limits[i][1] >= 0 && setrlimit((int)limits[i][0], &limit) != 0)
            goto failed;
    }
    /* The stack as large as the address space allows (see the top). */
    struct rlimit stack;
    if (memory && (getrlimit(RLIMIT_STACK, &stack) != 0
                   || (stack.rlim_cur = stack.rlim_max,
                       setrlimit(RLIMIT_STACK, &stack) != 0)))
        goto failed;
    start->failed_stage = USER_STAGE;
    /* Raw system calls: the C library's wrappers would try to change every
       thread of a process this child only shares its memory with. */
    if (o->uid >= 0
        && (syscall(SYS_setgroups, 0, NULL) != 0
            || syscall(SYS_setresgid, (gid_t)o->gid, (gid_t)o->gid, (gid_t)o->gid) != 0
            || syscall(SYS_setresuid, (uid_t)o->uid, (uid_t)o->uid, (uid_t)o->uid) != 0))
        goto failed;
    start->failed_stage = 1;
    if ((o->uid >= 0 || start->filter) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        goto failed;
    if (start->filter && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, start->filter) != 0)
        goto failed;
    if (memory)
        memory_watch_child(memory);
    start->failed_stage = 2;
    execvp(o->argv[0], o->argv);
failed:
    start->failed_errno = errno;
    _exit(127);
}

/* Starts the program in a child; its PID, or -1 (errno set). */
static pid_t start_program(struct start *start)
{
    static char stack[64 * 1024] __attribute__((aligned(16)));
    start->failed_stage = -1;
    start->failed_errno = 0;
    /* Watching memory, the child shares the descriptor table too, so that
       the descriptor of the program's requests is this process's; the
       program gets a copy of its own when it is executed. */
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD | (start->memory ? CLONE_FILES : 0);
    pid_t child = clone(become_program, stack + sizeof stack, flags, start);
    if (child > 0 && start->failed_errno == 0)
        start->failed_stage = -1; /* executed */
    return child;
}

static long long cpu_used_ns(clockid_t clock)
{
    struct timespec now;
    if (clock_gettime(clock, &now) != 0)
        return 0; /* already reaped: the loop sees that next */
    return now.tv_sec * 1000000000LL + now.tv_nsec;
}

static long long monotonic_ns(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        return 0;
    return now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* Reaps every ended child, and resumes the traced program where it
   stopped; true once `child` itself was reaped. */
static int reap_ended(pid_t child, struct outcome *out)
{
    int status, found = 0;
    pid_t pid;
    while ((pid = wait4(-1, &status, WNOHANG, NULL)) > 0 || (pid < 0 && errno == EINTR)) {
        if (pid > 0 && WIFSTOPPED(status)) {
            memory_stopped(&out->memory, pid, status);
        } else if (pid == child) {
            out->status = status;
            found = 1;
        }
    }
    return found;
}

static void kill_program(pid_t child)
{
    kill(-child, SIGKILL);
    kill(child, SIGKILL);
}

/* Kills this process's present children (found through /proc). */
static void kill_children(void)
{
    char path[64], text[512];
    pid_t self = getpid();
    DIR *proc = opendir("/proc");
    struct dirent *entry;
    if (!proc)
        return;
    while ((entry = readdir(proc)) != NULL) {
        pid_t pid = (pid_t)atoi(entry->d_name);
        if (pid <= 0)
            continue;
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t size = read(fd, text, sizeof text - 1);
        close(fd);
        if (size <= 0)
            continue;
        text[size] = 0;
        char *after_name = strrchr(text, ')');
        int parent;
        if (after_name && sscanf(after_name, ") %*c %d", &parent) == 1 && parent == self)
            kill(pid, SIGKILL);
    }
    closedir(proc);
}

/* Kills and reaps everything the program left behind: its process group,
   and any process that moved elsewhere and was handed to this subreaper. */
static void kill_leftovers(pid_t child)
{
    kill(-child, SIGKILL);
    for (;;) {
        pid_t pid = wait4(-1, NULL, WNOHANG, NULL);
        if (pid > 0 || (pid < 0 && errno == EINTR))
            continue;
        if (pid < 0)
            return; /* ECHILD: nothing left */
        kill_children();
        wait4(-1, NULL, 0, NULL);
    }
}

static int cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return 1;
}

/* The limits being watched while the program runs. */
struct watch {
    clockid_t clock;     /* the program's CPU clock */
    int watch_cpu;
    long long budget_ns, cpus, wall_deadline_ns; /* deadline -1: none */
};

/* Kills the program at its CPU or wall-clock limit; how long (ns) it may
   run at least before either could pass, or -1 for as long as it likes. */
static long long check_limits(pid_t child, const struct watch *w, struct outcome *out)
{
    long long wait_ns = -1;
    if (out->cpu_killed || out->wall_killed || out->stopped)
        return -1;
    if (w->watch_cpu) {
        long long used = cpu_used_ns(w->clock);
        if (used >= w->budget_ns) {
            kill_program(child);
            out->cpu_killed = 1;
            return -1;
        }
        /* Even using every CPU, it cannot pass the limit before this. */
        wait_ns = (w->budget_ns - used) / w->cpus;
    }
    if (w->wall_deadline_ns >= 0) {
        long long left = w->wall_deadline_ns - monotonic_ns();
        if (left <= 0) {
            kill_program(child);
            out->wall_killed = 1;
            return -1;
        }
        if (wait_ns < 0 || left < wait_ns)
            wait_ns = left;
    }
    return wait_ns >= 0 && wait_ns < MIN_PAUSE_NS ? MIN_PAUSE_NS : wait_ns;
}

/* Waits for the program, killing it at its CPU or wall-clock limit or when
   asked to, and answering its requests for memory; `started_ns` is when it
   was started. */
static void supervise(pid_t child, const struct options *o, int signals,
                      long long started_ns, struct outcome *out)
{
    struct watch w = {0, 0, o->cpu_ms * 1000000LL, cpu_count(),
                      o->wall_ms >= 0 ? started_ns + o->wall_ms * 1000000LL : -1};
    w.watch_cpu = o->cpu_ms >= 0 && clock_getcpuclockid(child, &w.clock) == 0;
    int control = o->control_fd;
    struct memory_watch *memory = &out->memory;
    while (!reap_ended(child, out)) {
        struct timespec pause, *timeout = NULL;
        long long wait_ns = check_limits(child, &w, out);
        if (wait_ns >= 0) {
            pause.tv_sec = wait_ns / 1000000000LL;
            pause.tv_nsec = wait_ns % 1000000000LL;
            timeout = &pause;
        }
        /* A descriptor of -1 is left out of the poll. */
        struct pollfd fds[3] = {{signals, POLLIN, 0}, {control, POLLIN, 0},
                                {memory->listener, POLLIN, 0}};
        if (ppoll(fds, 3, timeout, NULL) <= 0)
            continue;
        if (fds[2].revents & POLLIN) {
            memory_answer(memory);
        } else if (fds[2].revents) { /* nobody is left to ask */
            close(memory->listener);
            memory->listener = -1;
        }
        int stop = control >= 0 && fds[1].revents != 0;
        struct signalfd_siginfo info;
        while (read(signals, &info, sizeof info) == sizeof info)
            if (info.ssi_signo != SIGCHLD)
                stop = 1;
        if (stop && !out->stopped) {
            kill_program(child);
            out->stopped = 1;
            control = -1;
        }
    }
    out->ended_ns = monotonic_ns();
}

static void report(const struct options *o, const struct outcome *out)
{
    char line[512];
    int n;
    if (out->failed_stage) {
        n = snprintf(line, sizeof line, "failed=%s errno=%d\n", out->failed_stage,
                     out->failed_errno);
    } else {
        struct rusage usage;
        getrusage(RUSAGE_CHILDREN, &usage);
        long long cpu_us = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL
                           + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
        int killed = out->cpu_killed || out->wall_killed || out->stopped;
        n = snprintf(line, sizeof line, "%s=%d cpu_us=%lld peak_kib=%ld wall_us=%lld "
                     "memory_exceeded=%d cpu_killed=%d wall_killed=%d stopped=%d "
                     "ended_ns=%lld\n",
                     WIFSIGNALED(out->status) ? "signal" : "exit_code",
                     WIFSIGNALED(out->status) ? WTERMSIG(out->status)
                                              : WEXITSTATUS(out->status),
                     cpu_us, usage.ru_maxrss, out->wall_ns / 1000,
                     memory_exceeded(&out->memory, out->status, killed),
                     out->cpu_killed, out->wall_killed, out->stopped, out->ended_ns);
    }
    if (write(o->result_fd, line, (size_t)n) != n)
        exit(USAGE_EXIT);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--serve") == 0)
        return serve((int)number("--serve", argv[2]));
    return supervisor_main(argc, argv);
}

int resident_run = 0;

int supervisor_main(int argc, char **argv)
{
    struct options o;
    struct outcome out = {0, 0, 0, 0, 0, NULL, 0, 0, {-1, -1, -1, -1, 0, 0, 0}};
    struct filter_program filter;
    sigset_t handled;
    parse(argc, argv, &o);
    if (o.close_fd > 2)
        close(o.close_fd);
    if (o.result_fd != 2)
        fcntl(o.result_fd, F_SETFD, FD_CLOEXEC);
    if (o.control_fd >= 0)
        fcntl(o.control_fd, F_SETFD, FD_CLOEXEC);
    if (o.seccomp_fd >= 0)
        read_filter(o.seccomp_fd, &filter);
    /* Neither traceable nor readable through /proc by another user. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (!resident_run) {
        /* A run of the resident supervisor outlives it: its control
           descriptor ties it to the worker (supervisor_serve.c). */
        pid_t parent = getppid();
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            return USAGE_EXIT; /* whoever started it is gone already */
    }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    /* Signals are read from a descriptor, so that a pause is one ppoll. */
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigaddset(&handled, SIGHUP);
    sigprocmask(SIG_BLOCK, &handled, NULL);
    /* An ignored SIGCHLD (inherited) would reap the program unseen. */
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    out.memory.limit_kib = o.memory_kib;
    out.memory.uid = o.uid;
    out.memory.gid = o.gid;
    struct start start = {&o, o.seccomp_fd >= 0 ? &filter : NULL,
                          o.memory_kib >= 0 ? &out.memory : NULL, -1, 0};
    int signals = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);
    long long started_ns = monotonic_ns();
    pid_t child = signals < 0 ? -1 : start_program(&start);
    if (child < 0) {
        start.failed_stage = START_STAGE;
        start.failed_errno = errno;
    }
    if (start.failed_stage >= 0) {
        out.failed_stage = stage_names[start.failed_stage];
        out.failed_errno = start.failed_errno;
    }
    if (child > 0) {
        supervise(child, &o, signals, started_ns, &out);
        out.wall_ns = monotonic_ns() - started_ns;
        kill_leftovers(child);
    }
    if (out.memory.listener >= 0)
        close(out.memory.listener);
    report(&o, &out);
    return 0;
}
