"""C programs compiled by the real gcc, for the executors' tests."""

import subprocess

import pytest

SOURCES = {
    'add': '#include <stdio.h>\nint main(void) { long a, b;'
           ' if (scanf("%ld %ld", &a, &b) != 2) return 3;'
           ' printf("%ld\\n", a + b); return 0; }\n',
    'exit42': 'int main(void) { return 42; }\n',
    'abort': '#include <stdlib.h>\nint main(void) { abort(); }\n',
    'spin': 'int main(void) { volatile unsigned long i = 0; for (;;) i++; }\n',
    'fork': '#include <unistd.h>\n#include <sys/wait.h>\n'
            'int main(void) { pid_t p = fork(); if (p == 0) return 0;'
            ' if (p > 0) wait(0); return p < 0 ? 7 : 0; }\n',
    'hog': '#include <stdlib.h>\n#include <string.h>\n'
           'int main(void) { char *p = malloc(200 << 20); if (!p) return 9;'
           ' memset(p, 1, 200 << 20); return p[12345] - 1; }\n',
    'chatter': '#include <stdio.h>\nint main(void) {'
               ' for (int i = 0; i < 1000000; i++) puts("spam"); return 0; }\n',
    'peek': '#include <stdio.h>\nint main(int argc, char **argv) {'
            ' FILE *f = fopen(argv[1], "r"); puts(f ? "seen" : "hidden"); return 0; }\n',
}


@pytest.fixture(scope='session')
def compiled(tmp_path_factory):
    """``compiled(name)``: the path of that program, built once."""
    base = tmp_path_factory.mktemp('compat-programs')
    built = {}

    def build(name):
        if name not in built:
            source = base / (name + '.c')
            source.write_text(SOURCES[name])
            subprocess.run(['gcc', '-O1', '-static', '-o', str(base / name), str(source)],
                           check=True)
            built[name] = str(base / name)
        return built[name]

    return build
