"""Running sioworkers jobs on Celery workers.

* :mod:`sio.celery.job` -- the task ``sioworkers_job(environ)``, which
  returns :func:`sio.workers.run` of the environ;
* :mod:`sio.celery.app` -- the Celery app and where its settings come from;
* :mod:`sio.celery.client` -- submitting environs and waiting for results;
* :mod:`sio.celery.progress` -- progress reports of long jobs;
* :mod:`sio.celery.brokers` -- telling Redis and RabbitMQ apart;
* :mod:`sio.celery.redis_transport` and :mod:`sio.celery.liveness` -- on
  Redis, handing a job back when its worker dies, never while it lives;
* :mod:`sio.celery.filetracker` -- a worker's filetracker, and saying so
  when it does not answer;
* :mod:`sio.celery.banner` -- what a worker serves, in its banner;
* the ``sio-celery-worker`` command is :mod:`sio.workers.cli.celery_worker`.

Celery is optional (the ``celery`` extra); this package imports it only
from those modules, never from :mod:`sio.workers`.
"""
