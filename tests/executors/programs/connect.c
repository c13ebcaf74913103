#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
/* Connects to 127.0.0.1 on the port read from stdin; says whether it could. */
int main(void) {
    int port; if (scanf("%d", &port) != 1) return 2;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET; a.sin_port = htons(port); a.sin_addr.s_addr = htonl(0x7f000001);
    printf(connect(s, (struct sockaddr *)&a, sizeof a) == 0 ? "connected\n" : "refused\n");
    return 0;
}
