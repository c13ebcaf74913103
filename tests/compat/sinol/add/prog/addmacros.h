/* An extra compilation file (config.yml's extra_compilation_files):
 * OIOIOI sends it in extra_files to every compilation of the problem. */
#define READ_TWO(a, b) (scanf("%ld %ld", &(a), &(b)) == 2)
