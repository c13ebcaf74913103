/* Cheating: looks for the expected output (and the checker) wherever the
   judge might keep them, and prints the first line of whatever it finds;
   "nothing" otherwise. */
#include "attack.h"

static int show(const char *path)
{
    char line[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (!fgets(line, sizeof line, f))
        line[0] = 0;
    fclose(f);
    if (strstr(line, "expected") == NULL)
        return 0;
    fputs(line, stdout);
    return 1;
}

int main(void)
{
    const char *paths[] = {"hint", "../hint", "chk", "/proc/1/cwd/hint",
                           "/proc/2/cwd/hint", "/proc/self/cwd/hint"};
    char path[512];
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (show(paths[i]))
            return 0;
    DIR *dir = opendir(".");
    struct dirent *entry;
    while (dir && (entry = readdir(dir)) != NULL) {
        snprintf(path, sizeof path, "%s", entry->d_name);
        if (show(path))
            return 0;
    }
    /* Its own input, reopened, and its directory's parent. */
    if (show("/proc/self/fd/0") || show("/proc/1/root/hint"))
        return 0;
    printf("nothing\n");
    return 0;
}
