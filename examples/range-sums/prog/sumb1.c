/* Wrong: the sums are kept in 32-bit ints and overflow on large values. */
#include <stdio.h>

static int prefix[100001];

int main(void) {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2)
        return 1;
    for (int i = 1; i <= n; i++) {
        int value;
        scanf("%d", &value);
        prefix[i] = prefix[i - 1] + value;
    }
    while (q--) {
        int l, r;
        scanf("%d %d", &l, &r);
        printf("%d\n", prefix[r] - prefix[l - 1]);
    }
    return 0;
}
