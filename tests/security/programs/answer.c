/* A solution that prints one fixed line: the run a checker attack follows. */
#include <stdio.h>

int main(void)
{
    puts("the answer");
    return 0;
}
