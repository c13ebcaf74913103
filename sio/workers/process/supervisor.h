/*
 * Shared by the sources of sio-supervisor: supervisor.c (starting the
 * program under its limits, waiting for it, reporting on it) and
 * supervisor_memory.c (watching its address space, to tell whether it tried
 * to use more memory than its limit).
 */
#ifndef SIO_SUPERVISOR_H
#define SIO_SUPERVISOR_H

#include <sys/types.h>

/* The kernel's seccomp filter program (struct sock_filter and sock_fprog
   of linux/filter.h), spelled out here so that the C library's own headers
   are all the supervisor needs (musl's compiler wrapper sees no kernel
   headers). */
struct filter_instruction {
    unsigned short code;
    unsigned char jump_true, jump_false;
    unsigned int k;
};
struct filter_program {
    unsigned short len;
    struct filter_instruction *instructions;
};
#ifndef SECCOMP_MODE_FILTER
#define SECCOMP_MODE_FILTER 2
#endif

/* What is known of a watched program's memory (see supervisor_memory.c). */
struct memory_watch {
    long long limit_kib;   /* the judged limit; -1: no limit, nothing watched */
    long long uid, gid;    /* the program's user and group, or -1: this one's */
    int listener;          /* descriptor of its large memory requests, or -1 */
    int traced;            /* it asked to be traced by this process */
    int loaded;            /* its executable was loaded (its first stop) */
    long long refused_kib; /* what a refused request would have made it hold */
};

/* RLIMIT_AS of a watched program (bytes). */
long long memory_address_space(const struct memory_watch *watch);
/* In the program's process, just before it executes the program: asks to
   be traced and loads the filter that sends its large requests for memory
   to this process.  What cannot be had is simply not watched. */
void memory_watch_child(struct memory_watch *watch);
/* Answers one waiting request for memory. */
void memory_answer(struct memory_watch *watch);
/* Handles a stop of the traced program (`status` from wait4) and resumes it. */
void memory_stopped(struct memory_watch *watch, pid_t pid, int status);
/* Whether the program tried to use more memory than its limit; `status`
   is how it ended, `killed` whether this process killed it. */
int memory_exceeded(const struct memory_watch *watch, int status, int killed);

/* Exit status of a usage error (and of a run that could not be set up). */
#define USAGE_EXIT 125

/* Set by a run of the resident supervisor (supervisor_serve.c), which
   must not end with it. */
extern int resident_run;
/* What `sio-supervisor ARGS` does (supervisor.c); its exit status. */
int supervisor_main(int argc, char **argv);
/* `sio-supervisor --serve FD` (supervisor_serve.c); its exit status. */
int serve(int sock);

#endif
