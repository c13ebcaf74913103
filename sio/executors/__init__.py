"""The jobs that run and judge programs.

* :mod:`sio.executors.job` -- ``exec``, ``cpu-exec``, ``unsafe-exec``;
* :mod:`sio.executors.ingen`, :mod:`sio.executors.inwer` -- generating and
  verifying tests;
* :mod:`sio.executors.interactive` -- ``interactive-exec``;
* :mod:`sio.executors.modes` -- the exec modes (``exec_info``), one table;
* :mod:`sio.executors.programs` -- the ``exec_*`` limits and verdicts;
* :mod:`sio.executors.checkers` -- judging the output;
* :mod:`sio.executors.defaults` -- result codes and every default limit.
"""
