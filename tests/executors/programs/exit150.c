/* An exit code that a shell would take for "killed by signal 22". */
int main(void) { return 150; }
