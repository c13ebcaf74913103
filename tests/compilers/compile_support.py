"""Sources and a+b programs shared by the compile tests."""

import os

from sio.workers import run

# a+b in every language the system compilers speak.
A_PLUS_B = {
    'c': '#include <stdio.h>\nint main(void) { long long a, b;\n'
         '  if (scanf("%lld %lld", &a, &b) != 2) return 1;\n'
         '  printf("%lld\\n", a + b); return 0; }\n',
    'cpp': '#include <iostream>\nint main() { long long a, b; std::cin >> a >> b;\n'
           '  std::cout << a + b << "\\n"; }\n',
    'pas': 'program sum;\nvar a, b: int64;\nbegin\n  readln(a, b);\n  writeln(a + b);\nend.\n',
    'java': 'import java.util.Scanner;\n\npublic class Sum {\n'
            '    public static void main(String[] args) {\n'
            '        Scanner in = new Scanner(System.in);\n'
            '        long a = in.nextLong(), b = in.nextLong();\n'
            '        System.out.println(a + b);\n    }\n}\n',
    'py': 'a, b = map(int, input().split())\nprint(a + b)\n',
}

# A syntax error, and a word of the message the compiler prints for it.
SYNTAX_ERRORS = {
    'c': ('int main(void) { return 0 }\n', 'error'),
    'cpp': ('int main() { return 0 }\n', 'error'),
    'pas': ('program bad;\nbegin\n  writeln(1\nend.\n', 'Error'),
    'java': ('public class Bad { void f() { int x = ; } }\n', 'error'),
    'py': ('print(1\n', 'SyntaxError'),
}


class Sources:
    """Writes files into one directory; compiles them with the compile job."""

    def __init__(self, root):
        self.root = root

    def write(self, name, text, mode='w'):
        path = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, mode) as f:
            f.write(text)
        return path

    def exists(self, name):
        return os.path.exists(self.path(name))

    def path(self, name):
        return os.path.join(self.root, name)

    def compile(self, source, out='out/program', **keys):
        environ = {'job_type': 'compile', 'use_filetracker': False,
                   'source_file': self.path(source), 'out_file': self.path(out)}
        environ.update(keys)
        return run(environ)
