"""The worker side of sioworkersd, the original sioworkers' scheduling daemon.

OIOIOI sends groups of jobs to sioworkersd, which hands each job to one of
the workers connected to it (TCP, port 7888 by default) and posts the
results back.  ``sio-worker`` (:mod:`sio.workers.cli.sio_worker`) joins such
a daemon as one of those workers:

* :mod:`~sio.sioworkersd.protocol` -- the messages and their framing;
* :mod:`~sio.sioworkersd.connection` -- one connection, message by message;
* :mod:`~sio.sioworkersd.session` -- the calls of one connection and the
  jobs they started;
* :mod:`~sio.sioworkersd.jobs` -- a job in a process of its own, stopped
  cleanly when its caller is gone; :mod:`~sio.sioworkersd.jobprocess` is
  what runs inside that process;
* :mod:`~sio.sioworkersd.worker` -- connecting, and connecting again with a
  growing delay, until the worker is stopped.

Nothing in :mod:`sio.workers` imports this package.
"""
