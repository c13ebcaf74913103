#include <stdio.h>
/* 100 MiB of static data: a program this large cannot even be loaded
   under a smaller limit. */
static char data[100 << 20];
int main(void)
{
    for (size_t i = 0; i < sizeof data; i += 4096)
        data[i] = 1;
    printf("%d\n", data[4096]);
    return 0;
}
