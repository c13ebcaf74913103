/* Leaves a 5000-deep tree of directories in its working directory, with a
   FIFO and a link to / every thousand levels, and directories without
   permissions along the way. */
#include "attack.h"

int main(int argc, char **argv)
{
    (void)argv;
    int depth = 0;
    for (; depth < 5000; depth++) {
        if (mkdir("d", 0700) != 0 || chdir("d") != 0)
            break;
        if (depth % 1000 == 0) {
            mkfifo("fifo", 0600);
            symlink("/", "root");
        }
        if (depth % 1000 == 999)
            chmod("..", 0);
    }
    note("depth=%d", depth);
    return finish(argc);
}
