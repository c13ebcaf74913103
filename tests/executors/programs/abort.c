#include <stdlib.h>
/* Ends by abort(): SIGABRT, sent by the program to itself. */
int main(void) { abort(); }
