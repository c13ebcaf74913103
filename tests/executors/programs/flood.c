#include <stdio.h>
int main(void) { for (;;) fputs("flooding the output\n", stdout); }
