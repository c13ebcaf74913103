#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
/* Reads a name; leaves behind a grandchild in a session of its own, under
   that name, which would wait for ever.  Ends once the grandchild took it. */
int main(void) {
    char name[16] = {0};
    int ready[2];
    if (scanf("%15s", name) != 1 || pipe(ready) != 0) return 2;
    pid_t child = fork();
    if (child == 0) {
        setsid();
        if (fork() == 0) {
            prctl(PR_SET_NAME, name, 0, 0, 0);
            if (write(ready[1], "x", 1) != 1) return 2;
            for (;;) pause();
        }
        _exit(0);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) return 2;
    waitpid(child, NULL, 0);
    puts("left it behind");
    return 0;
}
