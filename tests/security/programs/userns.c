/* A user namespace of its own, to mount a tmpfs (memory nobody counts). */
#include "attack.h"
#include <sched.h>
#include <sys/mount.h>

int main(int argc, char **argv)
{
    (void)argv;
    note("unshare:%s", unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0 ? "made" : "refused");
    note("mount:%s", mount("none", "/tmp", "tmpfs", 0, "size=1g") == 0 ? "made" : "refused");
    return finish(argc);
}
