/*
 * How sio-supervisor tells that a program tried to use more memory than its
 * limit (see supervisor.h), whatever it did next: a failed malloc() is often
 * followed by a SIGSEGV, a failed `new` by SIGABRT, and a stack that cannot
 * grow ends in SIGSEGV too; none of them says "memory".
 *
 * The program's address space is limited to its limit L (RLIMIT_AS), and
 * what fails there is watched, at no cost to a program that stays within:
 *
 *  - Requests for a new mapping of more than SMALL_REQUEST bytes (mmap at an
 *    address of the kernel's choosing, other than PROT_NONE reservations
 *    and the dynamic linker's mappings of libraries, MAP_DENYWRITE; and
 *    every mremap) reach this process through a seccomp filter
 *    (SECCOMP_RET_USER_NOTIF).  One that would take the address space
 *    (VmSize, read from /proc) above L is refused here with ENOMEM, as the
 *    kernel would refuse it, and noted.  Every other request goes on
 *    unchanged, for the kernel to decide.
 *  - A stack that cannot grow shows at the SIGSEGV it gets: a fault below
 *    its stack, closer than L, where the stack could not grow without
 *    taking the address space above L, is a request for the stack refused.
 *    For this the program is traced (PTRACE_TRACEME: nothing but its own
 *    stops, no system calls), and its signals stop it on their way.
 *  - A program that dies before its executable is loaded (its first trace
 *    stop, after execve) was killed by the kernel past execve's point of no
 *    return, where only mappings the address space cannot hold fail: its
 *    static data, its stack or its dynamic linker.
 *
 * glibc's malloc asks for large blocks with mmap, and when brk fails it
 * asks mmap for at least a MiB instead, so running out in small pieces is
 * seen as well.  What is not seen: a small mapping (the dynamic linker's,
 * at the start) that fails within SMALL_REQUEST of L.  Threads and other
 * processes of the program are not traced; their requests are watched
 * through the filter, which they inherit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/fsuid.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "supervisor.h"

#ifndef PTRACE_O_EXITKILL
#define PTRACE_O_EXITKILL 0x100000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef MAP_DENYWRITE
#define MAP_DENYWRITE 0x800
#endif

/* The kernel's seccomp notification interface (linux/seccomp.h). */
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_GET_NOTIF_SIZES 3
#define SECCOMP_FILTER_FLAG_NEW_LISTENER 8
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#define SECCOMP_RET_ALLOW 0x7fff0000U
#define SECCOMP_USER_NOTIF_FLAG_CONTINUE 1
struct call_data {
    int nr;
    unsigned int arch;
    unsigned long long instruction_pointer;
    unsigned long long args[6];
};
struct notification {
    unsigned long long id;
    unsigned int pid, flags;
    struct call_data data;
};
struct answer {
    unsigned long long id;
    long long val;
    int error;
    unsigned int flags;
};
struct notification_sizes {
    unsigned short notification, answer, data;
};
#define NOTIFY_RECV 0xc0502100UL /* _IOWR('!', 0, struct notification) */
#define NOTIFY_SEND 0xc0182101UL /* _IOWR('!', 1, struct answer) */
#define NOTIFY_SET_FLAGS 0x40082104UL /* _IOW('!', 4, __u64) */
/* The caller and this process switch on one CPU (Linux 6.6 and later). */
#define NOTIFY_SYNC_WAKE_UP 1
/* Room for a larger notification than this file knows (newer kernels). */
#define NOTIFICATION_ROOM 512

#if defined(__x86_64__)
#define WATCHED_ARCH 0xc000003eU
#elif defined(__aarch64__)
#define WATCHED_ARCH 0xc00000b7U
#endif

/* Requests of at most this many bytes are not looked at: they are many
   (the C library's own), and each look costs the program a switch to this
   process and back (tens of microseconds). */
#define SMALL_REQUEST (64 * 1024)

/* Offsets in the filter's data: the call, its ABI, and the halves of its
   arguments (little-endian). */
#define AT_NR 0
#define AT_ARCH 4
#define AT_ARG_LOW(n) (16 + 8 * (n))
#define AT_ARG_HIGH(n) (20 + 8 * (n))
#define LOAD 0x20 /* BPF_LD | BPF_W | BPF_ABS */
#define JEQ 0x15  /* BPF_JMP | BPF_JEQ | BPF_K */
#define JGT 0x25  /* BPF_JMP | BPF_JGT | BPF_K */
#define JSET 0x45 /* BPF_JMP | BPF_JSET | BPF_K */
#define RET 0x06  /* BPF_RET | BPF_K */

static long page_size(void)
{
    static long size;
    if (size == 0)
        size = sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096;
    return size;
}

long long memory_address_space(const struct memory_watch *watch)
{
    return watch->limit_kib * 1024;
}

#ifdef WATCHED_ARCH
/* Loads the filter that sends the large mapping requests to this process;
   the descriptor of its notifications, or -1.  The jumps count the
   instructions they skip: 17 is the return that allows the call, 18 the
   one that sends it here. */
static int load_filter(void)
{
    struct filter_instruction code[] = {
        /* 0 */ {LOAD, 0, 0, AT_ARCH},
        /* 1 */ {JEQ, 0, 15, WATCHED_ARCH},     /* another ABI: allowed */
        /* 2 */ {LOAD, 0, 0, AT_NR},
        /* 3 */ {JEQ, 14, 0, SYS_mremap},       /* every mremap is looked at */
        /* 4 */ {JEQ, 0, 12, SYS_mmap},
        /* 5 */ {LOAD, 0, 0, AT_ARG_LOW(0)},    /* an address asked for: allowed */
        /* 6 */ {JEQ, 0, 10, 0},
        /* 7 */ {LOAD, 0, 0, AT_ARG_HIGH(0)},
        /* 8 */ {JEQ, 0, 8, 0},
        /* 9 */ {LOAD, 0, 0, AT_ARG_LOW(2)},    /* PROT_NONE, a reservation */
        /* 10 */ {JEQ, 6, 0, 0},
        /* 11 */ {LOAD, 0, 0, AT_ARG_LOW(3)},   /* a library being loaded */
        /* 12 */ {JSET, 4, 0, MAP_DENYWRITE},
        /* 13 */ {LOAD, 0, 0, AT_ARG_HIGH(1)},  /* a length of 4 GiB or more */
        /* 14 */ {JEQ, 0, 3, 0},
        /* 15 */ {LOAD, 0, 0, AT_ARG_LOW(1)},   /* a length above SMALL_REQUEST */
        /* 16 */ {JGT, 1, 0, SMALL_REQUEST},
        /* 17 */ {RET, 0, 0, SECCOMP_RET_ALLOW},
        /* 18 */ {RET, 0, 0, SECCOMP_RET_USER_NOTIF},
    };
    struct filter_program program = {sizeof code / sizeof code[0], code};
    struct notification_sizes sizes;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0
        || sizes.notification > NOTIFICATION_ROOM || sizes.answer < sizeof(struct answer))
        return -1;
    int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                          SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
    if (fd < 0 && errno == EACCES && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0)
        fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                          SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
    if (fd >= 0)
        ioctl(fd, NOTIFY_SET_FLAGS, (unsigned long)NOTIFY_SYNC_WAKE_UP); /* older: EINVAL */
    return fd;
}
#else
static int load_filter(void)
{
    return -1; /* no system call numbers for this machine: requests unseen */
}
#endif

void memory_watch_child(struct memory_watch *watch)
{
    watch->traced = ptrace(PTRACE_TRACEME, 0, 0, 0) == 0;
    watch->listener = load_filter();
}

/* The pages of address space of `pid` (its VmSize), or -1. */
static long long address_space_pages(pid_t pid)
{
    char path[64], text[128];
    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t size = read(fd, text, sizeof text - 1);
    close(fd);
    if (size <= 0)
        return -1;
    text[size] = 0;
    return strtoll(text, NULL, 10);
}

/* How many bytes of address space a call adds, if it succeeds. */
static unsigned long long requested(const struct call_data *call)
{
    if (call->nr == SYS_mmap)
        return call->args[1];
    if (call->nr == SYS_mremap) {
        unsigned long long old_size = call->args[1], new_size = call->args[2];
        if (call->args[3] & MREMAP_DONTUNMAP)
            return new_size;
        return new_size > old_size ? new_size - old_size : 0;
    }
    return 0;
}

void memory_answer(struct memory_watch *watch)
{
    static union {
        struct notification call;
        char room[NOTIFICATION_ROOM];
    } request;
    memset(&request, 0, sizeof request);
    if (ioctl(watch->listener, NOTIFY_RECV, &request) != 0)
        return; /* the caller died meanwhile, or a signal came first */
    struct answer answer = {request.call.id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE};
    unsigned long long bytes = requested(&request.call.data);
    if (bytes > 0) {
        long long page_kib = page_size() / 1024;
        long long pages = address_space_pages((pid_t)request.call.pid);
        long long after = (pages + ((long long)((bytes - 1) / page_size()) + 1)) * page_kib;
        if (pages >= 0 && after > watch->limit_kib) {
            if (after > watch->refused_kib)
                watch->refused_kib = after;
            answer.error = -ENOMEM;
            answer.flags = 0;
        }
    }
    ioctl(watch->listener, NOTIFY_SEND, &answer);
}

/* The lowest address of the stack of `pid` (its [stack] mapping), or 0.
   Its maps are only for its own user to read: a program running as another
   user (and group) is looked at as that user. */
static unsigned long long stack_start(pid_t pid, const struct memory_watch *watch)
{
    char path[64], line[512];
    unsigned long long start = 0, end;
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    if (watch->uid >= 0) {
        setfsgid((gid_t)watch->gid);
        setfsuid((uid_t)watch->uid);
    }
    FILE *maps = fopen(path, "re");
    if (watch->uid >= 0) {
        setfsuid(0);
        setfsgid(0);
    }
    if (maps == NULL)
        return 0;
    while (fgets(line, sizeof line, maps) != NULL)
        if (strstr(line, "[stack]") != NULL && sscanf(line, "%llx-%llx", &start, &end) == 2)
            break;
    fclose(maps);
    return start;
}

/* Notes a SIGSEGV at `fault` that is the stack failing to grow past the
   limit (see the top of this file). */
static void check_stack_fault(struct memory_watch *watch, pid_t pid, unsigned long long fault)
{
    unsigned long long bottom = stack_start(pid, watch);
    if (bottom == 0 || fault >= bottom)
        return;
    long long growth_kib = (long long)((bottom - (fault & ~(page_size() - 1ULL))) / 1024);
    long long pages = address_space_pages(pid);
    if (pages < 0 || growth_kib > watch->limit_kib)
        return; /* further than the whole limit: a stray pointer, not the stack */
    long long after = pages * (page_size() / 1024) + growth_kib;
    if (after > watch->limit_kib && after > watch->refused_kib)
        watch->refused_kib = after;
}

/* A group-stop (the program stopped itself) rather than a signal to deliver. */
static int group_stop(pid_t pid, int sig)
{
    siginfo_t info;
    if (sig != SIGSTOP && sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU)
        return 0;
    return ptrace(PTRACE_GETSIGINFO, pid, 0, &info) != 0 && errno == EINVAL;
}

void memory_stopped(struct memory_watch *watch, pid_t pid, int status)
{
    int sig = WSTOPSIG(status), event = (status >> 16) & 0xff, deliver = 0;
    if (event != 0) {
        /* PTRACE_EVENT_EXEC: it executed another program; nothing to do */
    } else if (!watch->loaded && sig == SIGTRAP) {
        watch->loaded = 1; /* the stop after its execve */
        ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC);
    } else if (!group_stop(pid, sig)) {
        siginfo_t info;
        if (sig == SIGSEGV && watch->loaded && ptrace(PTRACE_GETSIGINFO, pid, 0, &info) == 0
            && info.si_code == SEGV_MAPERR)
            check_stack_fault(watch, pid, (unsigned long long)(unsigned long)info.si_addr);
        deliver = sig;
    }
    /* A program that stops itself goes on: nobody here would continue it. */
    ptrace(PTRACE_CONT, pid, 0, deliver);
}

int memory_exceeded(const struct memory_watch *watch, int status, int killed)
{
    if (watch->limit_kib < 0)
        return 0;
    if (watch->refused_kib > 0)
        return 1;
    return watch->traced && !watch->loaded && !killed && WIFSIGNALED(status);
}
