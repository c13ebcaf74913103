/* The key rings: reads the key whose serial is on its input (the test's
   own), and adds a key of its own. */
#include "attack.h"

int main(int argc, char **argv)
{
    char line[64], payload[256];
    read_request(argc, argv, line, sizeof line);
    long serial = atol(line);
    long got = syscall(SYS_keyctl, 11 /* KEYCTL_READ */, serial, payload, sizeof payload);
    if (got > 0 && got < (long)sizeof payload)
        payload[got] = 0;
    note("read:%s", got >= 0 ? payload : "refused");
    long added = syscall(SYS_add_key, "user", "sio-attack", "x", 1, -4 /* @u */);
    note("add:%s", added >= 0 ? "added" : "refused");
    return finish(argc);
}
