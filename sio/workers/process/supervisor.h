/*
 * Shared by the sources of sio-supervisor (supervisor.c: starting the
 * program under its limits, waiting for it, reporting on it).
 */
#ifndef SIO_SUPERVISOR_H
#define SIO_SUPERVISOR_H

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

#endif
