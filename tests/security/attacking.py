"""What the attack tests share (the fixtures are in conftest)."""

import os

#: Whether the tests' jobs run in a worker that is root.  They also run
#: in a worker that is an ordinary user (``test_unprivileged``), where an
#: exec job's working directory is bubblewrap's tmpfs, bounded in bytes
#: but not in files (see "Running the worker as an ordinary user" in the
#: security model).
WORKER_IS_ROOT = os.geteuid() == 0
#: The ways an attack program is run: as the solution of ``exec`` and of
#: ``cpu-exec``, and as the checker of an ``exec`` job.
MODES = ('exec', 'cpu-exec', 'checker')


class Attack:
    """One attack's run: ``environ`` (the job's result) and ``findings``."""

    def __init__(self, environ, findings):
        self.environ = environ
        self.findings = findings

    def __getitem__(self, word):
        """The value after ``word:`` or ``word=`` in the findings."""
        for item in self.findings.split():
            for sep in (':', '='):
                if item.startswith(word + sep):
                    return item[len(word) + 1:]
        raise KeyError('%s not in findings %r' % (word, self.findings))
