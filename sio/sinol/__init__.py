"""Sinol problem packages: reading them, judging solutions against them.

A sinol package is the problem format that OIOIOI's sinolpack imports and
sio2project's ``sinol-make`` works on: ``config.yml``, the tests in
``in/`` and ``out/``, the programs in ``prog/`` (the model solution
``<id>.cpp``, other solutions ``<id><suffix>.*``, the checker
``<id>chk.*``, the generator ``<id>ingen.*``, the verifier
``<id>inwer.*``), the statement in ``doc/``.

* :mod:`sio.sinol.package`: the configuration, tests, programs and limits;
* :mod:`sio.sinol.archive`: unpacking a package kept as an archive;
* :mod:`sio.sinol.scoring`: points per group and in total, and the
  comparison with ``sinol_expected_scores``;
* :mod:`sio.sinol.judging`: compiling and running everything through the
  ordinary jobs, on a pool of processes;
* :mod:`sio.sinol.table`: the report as the grid ``sio-judge`` prints.

``sio-judge`` (:mod:`sio.workers.cli.judge`) is the command line.
"""


class PackageError(Exception):
    """The package cannot be used as it is: a message for its author."""
