"""File access: a cached ``ft.download`` vs a plain local copy, and uncached.

Starts a filetracker server on a free loopback port, stores one file, and
times, alternating so that machine noise hits all alike:

* a plain local copy (``shutil.copy``) of the file;
* ``ft.download`` of its versioned name, served from the local cache
  (target: at most 2x the plain copy);
* ``ft.download`` of its unversioned name, cached (one version question
  to the server, then the cache);
* ``ft.download`` without the cache (the whole file from the server).

Each call writes a new file, as a job does into its fresh directory (an
existing destination would add the cost of freeing the old file's blocks
to whichever case happens to replace it).  The target is for a cache hit,
which the contract defines as a download of a version already cached: it
does not touch the server.  An unversioned name must first ask the server
which version is current, so it is a figure of its own, not a cache hit.

Usage: python benchmarks/storage.py [SIZE_KIB] [RUNS]   (default 1024 KiB, 31 runs)
"""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests'))
from _common import median_ms, report, timed  # noqa: E402

TARGET_RATIO = 2.0


def main():
    size_kib = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    runs = max(11, int(sys.argv[2]) if len(sys.argv) > 2 else 31)
    from support import free_port, start_filetracker_server, stop_filetracker_server

    base = tempfile.mkdtemp(prefix='sio-bench-storage-')
    os.environ['SIO_CACHE_DIR'] = os.path.join(base, 'cache')
    url = 'http://127.0.0.1:%d' % free_port()
    server = start_filetracker_server(url, os.path.join(base, 'store'),
                                      os.path.join(base, 'server.log'), workers=1)
    try:
        measure(url, base, size_kib, runs)
    finally:
        stop_filetracker_server(server)
        shutil.rmtree(base, ignore_errors=True)


def measure(url, base, size_kib, runs):
    from sio.workers import ft

    source = os.path.join(base, 'source')
    with open(source, 'wb') as f:
        f.write(os.urandom(size_kib * 1024))
    environ = {'filetracker_url': url, 'f': '/bench/file'}
    stored = ft.upload(environ, 'f', source)
    dest = os.path.join(base, 'dest')
    versioned = {'filetracker_url': url, 'f': stored}
    plain = {'filetracker_url': url, 'f': '/bench/file'}
    ft.download(versioned, 'f', dest)  # fills the cache
    cases = {
        'plain copy': lambda: shutil.copy(source, dest),
        'cached, versioned': lambda: ft.download(versioned, 'f', dest),
        'cached, unversioned': lambda: ft.download(plain, 'f', dest),
        'uncached': lambda: ft.download(plain, 'f', dest, add_to_cache=False),
    }
    times = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            os.unlink(dest)
            times[name].append(timed(case))
    medians = {name: median_ms(samples) for name, samples in times.items()}
    print('file of %d KiB, %d runs each; medians: %s' % (size_kib, runs, ', '.join(
        '%s %.3f ms' % item for item in medians.items())))
    ratio = medians['cached, versioned'] / medians['plain copy']
    report('cached download / plain copy', ratio, 'x', '<= %.1fx' % TARGET_RATIO,
           ratio <= TARGET_RATIO)
    for name in ('cached, unversioned', 'uncached'):
        ratio = medians[name] / medians['plain copy']
        report('download %s / plain copy' % name, ratio, 'x', 'none (figure only)', True)


if __name__ == '__main__':
    main()
