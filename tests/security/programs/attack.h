/* Shared by the attack programs: findings are collected as words and
   printed at the end as one line.  Run as a checker (chk IN OUT HINT) the
   line is preceded by "OK", so that the findings become the checker's
   comment; run as a solution the line is the whole output. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static char findings[4096];

__attribute__((unused)) static void note(const char *format, ...)
{
    size_t used = strlen(findings);
    va_list args;
    va_start(args, format);
    if (used)
        findings[used++] = ' ';
    vsnprintf(findings + used, sizeof findings - used, format, args);
    va_end(args);
}

__attribute__((unused)) static int finish(int argc)
{
    if (argc == 4)
        printf("OK\n");
    printf("%s\n", findings);
    return 0;
}

/* The first line of standard input (or of argv[1] when run as a checker). */
__attribute__((unused)) static void read_request(int argc, char **argv, char *line, size_t size)
{
    FILE *in = argc == 4 ? fopen(argv[1], "r") : stdin;
    line[0] = 0;
    if (in && fgets(line, (int)size, in))
        line[strcspn(line, "\n")] = 0;
}

/* Calls `visit` for every process in /proc other than this one. */
__attribute__((unused)) static int other_processes(void (*visit)(pid_t))
{
    DIR *proc = opendir("/proc");
    struct dirent *entry;
    int seen = 0;
    if (!proc)
        return 0;
    while ((entry = readdir(proc)) != NULL) {
        pid_t pid = (pid_t)atoi(entry->d_name);
        if (pid > 0 && pid != getpid()) {
            seen++;
            visit(pid);
        }
    }
    closedir(proc);
    return seen;
}
