/* The model solution: OIOIOI makes the missing outputs with it. */
#include <stdio.h>
#include "addmacros.h"

#ifndef ADD_PACKAGE
#error "ADD_PACKAGE is defined by the extra_compilation_args of config.yml"
#endif

int main(void)
{
    long a, b;
    if (!READ_TWO(a, b))
        return 1;
    printf("%ld\n", a + b);
    return 0;
}
