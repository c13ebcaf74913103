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

#: Redis hands an unacknowledged job to another worker only after this many
#: seconds; it must exceed the longest job, or a running job is started a
#: second time elsewhere.
REDIS_VISIBILITY_TIMEOUT = 1800

#: Seconds between a Redis worker's sweeps for jobs whose worker died.
REDIS_RESTORE_INTERVAL = 10

#: A job with ``job_timeout`` gets Celery time limits a little beyond it, so
#: that the runner's own deadline fires first and the limits only back it
#: up: the soft limit this many seconds later, the hard limit (the pool
#: process is killed) twice as late.
TIME_LIMIT_GRACE = 5.0

#: Client: seconds to keep trying to reach the broker before giving up.
CONNECT_TIMEOUT = 10.0

#: Client: seconds between two checks of a job's state while waiting.
POLL_INTERVAL = 0.1

#: Celery state of a job that reported progress.
PROGRESS_STATE = 'PROGRESS'
