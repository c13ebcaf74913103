/* Tries to write into the file behind its standard input, by reopening
 * /proc/self/fd/0 for writing; prints whether it could. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    const char *garbage = "overwritten\n";
    int fd = open("/proc/self/fd/0", O_WRONLY);
    int wrote = fd >= 0 && write(fd, garbage, strlen(garbage)) > 0;
    printf("%s\n", wrote ? "wrote" : "could not write");
    return 0;
}
