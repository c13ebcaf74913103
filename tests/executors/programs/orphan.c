#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>
/* Leaves a child behind that would sleep for ever under a name tests look
   for; the parent ends only once the child has taken that name. */
int main(void) {
    int ready[2];
    if (pipe(ready) != 0) return 2;
    if (fork() == 0) {
        prctl(PR_SET_NAME, "sio-orphan", 0, 0, 0);
        if (write(ready[1], "x", 1) != 1) return 2;
        for (;;) sleep(100);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) return 2;
    puts("parent done");
    return 0;
}
