"""The jobs that run and judge programs: ``exec``, ``cpu-exec``, ``unsafe-exec``.

``exec_info`` (written by the ``compile`` job) says how ``exe_file`` is run:

``{"mode": "executable"}`` (the default)
    a native program (ELF, or a script with a ``#!`` line);
``{"mode": "java", "main_class": "Main"}``
    ``exe_file`` is a jar, run by the system's ``java`` with the class
    ``main_class`` (default ``Main``); the memory limit becomes the JVM's
    heap limit;
``{"mode": "python"}``
    ``exe_file`` is a Python 3 script, run by the system's ``python3``;
``{"mode": "output-only"}``
    ``exe_file`` is the answer itself: it is taken as the output.
"""
