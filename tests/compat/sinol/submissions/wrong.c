/* Off by one when a is odd; the difference instead of the sum for big sums. */
#include <stdio.h>

int main(void)
{
    long a, b;
    if (scanf("%ld %ld", &a, &b) != 2)
        return 1;
    if (a % 2)
        printf("%ld\n", a + b + 1);
    else if (a + b > 500000)
        printf("%ld\n", a - b);
    else
        printf("%ld\n", a + b);
    return 0;
}
