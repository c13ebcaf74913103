/* The task's bounds and the helpers its ingen, inwer and checker share.
 * OIOIOI sends the package's prog/ folder as the compilation's
 * additional_archive, so this file sits beside each of their sources. */
#ifndef ADDLIB_H
#define ADDLIB_H

#include <stdio.h>

#define ADD_MAX 1000000L

/* Writes a test input: the two numbers on one line.  1 if it worked. */
static inline int add_write_test(const char *name, long a, long b)
{
    FILE *f = fopen(name, "w");
    if (!f)
        return 0;
    fprintf(f, "%ld %ld\n", a, b);
    return fclose(f) == 0;
}

/* Reads one number from f into *value.  1 if there was one. */
static inline int add_read_number(FILE *f, long *value)
{
    return f != NULL && fscanf(f, "%ld", value) == 1;
}

#endif
