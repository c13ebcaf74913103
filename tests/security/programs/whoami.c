/* Who the program is: its user, group, supplementary groups, capabilities
   and open descriptors; then it waits for a line on its input, so that
   runs overlap. */
#include <grp.h>
#include "attack.h"

int main(int argc, char **argv)
{
    char line[256], caps[64] = "?";
    gid_t groups[64];
    int count = getgroups(64, groups), fds = 0;
    FILE *status = fopen("/proc/self/status", "r");
    while (status && fgets(line, sizeof line, status))
        if (sscanf(line, "CapEff: %63s", caps) == 1)
            break;
    if (status)
        fclose(status);
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL)
        if (entry->d_name[0] != '.' && atoi(entry->d_name) != dirfd(dir))
            fds++;
    note("uid=%d gid=%d groups=%d caps=%s fds=%d", (int)getuid(), (int)getgid(),
         count == 1 && groups[0] == getgid() ? 0 : count, caps, fds);
    read_request(argc, argv, line, sizeof line);
    return finish(argc);
}
