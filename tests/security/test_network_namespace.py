"""Every isolated run has a network namespace of its own, used by no other."""

import os

from sio.workers.process import Isolation, Limits, _netns, run_program

# Leaves what a network namespace keeps after its processes are gone: a
# connection in TIME_WAIT, bytes counted by the loopback interface.
LEAVE_TRACES = ('import socket\n'
                's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()\n'
                'c = socket.create_connection(s.getsockname()); a, _ = s.accept()\n'
                'c.sendall(b"x" * 100000); a.recv(10)\n'
                'c.close(); a.close()\n'
                'print("left")\n')
LOOK_FOR_TRACES = ('import os\n'
                   'print(os.readlink("/proc/self/ns/net"))\n'
                   'tcp = open("/proc/net/tcp").read().splitlines()[1:]\n'
                   'lo = [l for l in open("/proc/net/dev") if l.strip().startswith("lo:")]\n'
                   'names = [l.split(":")[0].strip()\n'
                   '         for l in open("/proc/net/dev").read().splitlines()[2:]]\n'
                   'print(len(tcp), int(lo[0].split(":")[1].split()[0]), " ".join(names))\n')


def _run(tmp_path, name, text):
    script = tmp_path / name
    script.write_text(text)
    out = tmp_path / (name + '.out')
    result = run_program(['python3', '-S', str(script)], cwd=str(tmp_path), stdout=str(out),
                         limits=Limits(cpu_ms=5000, wall_ms=20000, memory_kib=262144),
                         isolation=Isolation(scratch_bytes=1 << 20, readonly=(str(script),)))
    assert result.ok, result
    return out.read_text().split()


def test_nothing_of_a_runs_network_reaches_the_next(tmp_path):
    own = os.readlink('/proc/self/ns/net')
    for _ in range(3):
        assert _run(tmp_path, 'leave.py', LEAVE_TRACES) == ['left']
        namespace, connections, received, *interfaces = _run(tmp_path, 'look.py',
                                                            LOOK_FOR_TRACES)
        assert namespace != own
        assert (connections, received, interfaces) == ('0', '0', ['lo'])
    # The worker's threads are back in its own namespace.
    assert os.readlink('/proc/thread-self/ns/net') == own


def test_a_namespace_made_ahead_serves_one_run_only():
    if not _netns.available():  # bubblewrap makes each run's
        return
    first = _netns.take()
    second = _netns.take()
    try:
        assert os.fstat(first).st_ino != os.fstat(second).st_ino
        assert os.fstat(first).st_ino != os.stat('/proc/self/ns/net').st_ino
    finally:
        os.close(first)
        os.close(second)
