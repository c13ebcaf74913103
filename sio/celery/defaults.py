"""Defaults of the Celery binding, defined once."""

#: The name under which workers know the task, whatever module imports it.
TASK_NAME = 'sio.celery.job.sioworkers_job'

#: The queue the task is sent to and the workers consume by default.
QUEUE = 'sioworkers'

#: The broker used when none is configured (Celery's own default).
BROKER_URL = 'amqp://guest@localhost//'

#: Where workers look for a filetracker when ``FILETRACKER_URL`` is not set:
#: this port on the broker's host.
FILETRACKER_PORT = 9999

#: Redis: seconds a worker may go unheard (its alive key not refreshed)
#: before the jobs it holds are handed to other workers; it refreshes the
#: key, and every worker sweeps for such jobs, three times per timeout.  The
#: one tunable of redelivery on Redis (the transport option
#: ``liveness_timeout``): a dead worker's job runs again within about
#: 4/3 of it.
LIVENESS_TIMEOUT = 15

#: Redis: a job taken by a consumer that records no holder (not a
#: sioworkers worker) is handed back after this many seconds.  Jobs of
#: sioworkers workers are handed back when their worker dies, whatever
#: their age.
REDIS_VISIBILITY_TIMEOUT = 24 * 3600

#: The Redis transport of sioworkers' workers (see
#: :mod:`sio.celery.redis_transport`).
REDIS_TRANSPORT = 'sio.celery.redis_transport:Transport'

#: Redis: a queue per message priority, 0 (first) to 9, so that each
#: priority is its own (kombu's default groups them in fours).
REDIS_PRIORITY_STEPS = list(range(10))

#: A job with ``job_timeout`` gets Celery time limits a little beyond it, so
#: that the runner's own deadline fires first and the limits only back it
#: up: the soft limit this many seconds later, the hard limit (the pool
#: process is killed) twice as late.
TIME_LIMIT_GRACE = 5.0

#: The range of the environ's ``task_priority`` (and ``priority``): higher
#: values run first.
LOWEST_PRIORITY = 0
HIGHEST_PRIORITY = 9

#: Client: seconds to keep trying to reach the broker before giving up.
CONNECT_TIMEOUT = 10.0

#: Client: seconds between two checks of a job's state while waiting.
POLL_INTERVAL = 0.1

#: Celery state of a job that reported progress.
PROGRESS_STATE = 'PROGRESS'
