/* A trusted checker: OK when the output's first line equals the hint's. */
#include <stdio.h>
#include <string.h>

static void first_line(const char *path, char *line, int size)
{
    FILE *f = fopen(path, "r");
    line[0] = 0;
    if (f && fgets(line, size, f))
        line[strcspn(line, "\n")] = 0;
    if (f)
        fclose(f);
}

int main(int argc, char **argv)
{
    char out[256], hint[256];
    if (argc != 4)
        return 2;
    first_line(argv[2], out, sizeof out);
    first_line(argv[3], hint, sizeof hint);
    puts(strcmp(out, hint) == 0 ? "OK" : "WRONG");
    return 0;
}
