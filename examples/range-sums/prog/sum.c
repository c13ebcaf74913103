/* Correct: prefix sums in 64-bit integers, O(n + q). */
#include <stdio.h>

static long long prefix[100001];

int main(void) {
    int n, q;
    if (scanf("%d %d", &n, &q) != 2)
        return 1;
    for (int i = 1; i <= n; i++) {
        long long value;
        scanf("%lld", &value);
        prefix[i] = prefix[i - 1] + value;
    }
    while (q--) {
        int l, r;
        scanf("%d %d", &l, &r);
        printf("%lld\n", prefix[r] - prefix[l - 1]);
    }
    return 0;
}
