"""The Celery application of sioworkers and where its settings come from.

Settings, from the weakest to the strongest:

1. the defaults of :func:`default_settings` (queue ``sioworkers``, JSON,
   late acknowledgement, one job prefetched at a time, ...);
2. the module named by the environment variable ``CELERY_CONFIG_MODULE``
   (Celery's lower-case setting names; the upper-case names of old Celery
   versions, such as ``BROKER_URL``, are understood too);
3. settings given to :func:`make_app`;
4. Celery's own environment variables ``CELERY_BROKER_URL`` and
   ``CELERY_RESULT_BACKEND``.

When no result backend is configured, one is derived from the broker: the
same Redis database for a Redis broker, ``rpc://`` (results sent back as
messages) for RabbitMQ.
"""

import importlib
import os
from collections.abc import Mapping
from functools import cached_property

from celery import Celery
from celery.apps.worker import Worker

from sio.celery import defaults
from sio.celery.banner import sioworkers_banner
from sio.celery.brokers import broker_kind, redis_needs_ssl_settings, result_backend_for

CONFIG_MODULE_VARIABLE = 'CELERY_CONFIG_MODULE'
#: Imported by every worker: it defines the task.
JOB_MODULE = 'sio.celery.job'



class ConfigurationError(Exception):
    """The Celery configuration cannot be used; the message says why."""


def default_settings():
    """The settings sioworkers starts from; any of them may be overridden."""
    return {
        'task_default_queue': defaults.QUEUE,
        'task_serializer': 'json',
        'result_serializer': 'json',
        'accept_content': ['json'],
        'result_accept_content': ['json'],
        # A job is acknowledged when it is done, not when it is taken, so
        # that the job of a worker that died is handed to another one.
        'task_acks_late': True,
        'task_reject_on_worker_lost': True,
        'worker_prefetch_multiplier': 1,
        'task_track_started': True,
        # The broker hands back the jobs of a worker that lost its
        # connection; stopping them here avoids running them twice.
        'worker_cancel_long_running_tasks_on_connection_loss': True,
        'broker_connection_retry_on_startup': True,
        # Read by the Redis transport only (RabbitMQ redelivers as soon as
        # a connection drops): see sio.celery.liveness.
        'broker_transport_options': {
            'liveness_timeout': defaults.LIVENESS_TIMEOUT,
            'visibility_timeout': defaults.REDIS_VISIBILITY_TIMEOUT,
            'priority_steps': defaults.REDIS_PRIORITY_STEPS,
        },
    }


def config_module_settings(name=None):
    """The lower-case settings of the configuration module ``name``.

    ``name`` defaults to the environment variable ``CELERY_CONFIG_MODULE``;
    without either, there are none.
    """
    name = name or os.environ.get(CONFIG_MODULE_VARIABLE)
    if not name:
        return {}
    try:
        module = importlib.import_module(name)
    except Exception as e:
        raise ConfigurationError(
            'cannot import the Celery configuration module %r (named by %s): %s: %s'
            % (name, CONFIG_MODULE_VARIABLE, type(e).__name__, e)) from e
    old_names = _old_setting_names()
    settings = {}
    for key in dir(module):
        if key.startswith('_'):
            continue
        if key.islower():
            settings[key] = getattr(module, key)
        elif key in old_names:  # e.g. BROKER_URL of Celery 3 configurations
            settings.setdefault(old_names[key], getattr(module, key))
    return settings


def _old_setting_names():
    """Celery's map of upper-case setting names (Celery < 4) to today's."""
    try:
        from celery.app.defaults import _TO_NEW_KEY
    except ImportError:  # a Celery without it: lower-case names only
        return {}
    return _TO_NEW_KEY


#: Settings whose dict is merged into the default one key by key, so that
#: a configuration giving one transport option keeps the others.
MERGED_SETTINGS = ('broker_transport_options',)


def merge_settings(settings, overrides):
    """Updates ``settings`` with ``overrides``, merging :data:`MERGED_SETTINGS`."""
    for key, value in overrides.items():
        if key in MERGED_SETTINGS and isinstance(value, Mapping) \
                and isinstance(settings.get(key), Mapping):
            value = dict(settings[key], **value)
        settings[key] = value
    return settings


class _LazySettings(Mapping):
    """Defaults and the configuration module, read when Celery first asks.

    Reading late lets a program (``sio-celery-worker``) set environment
    variables after importing this module.
    """

    def __init__(self):
        self._settings = None

    def _load(self):
        if self._settings is None:
            settings = default_settings()
            merge_settings(settings, config_module_settings())
            self._settings = settings
        return self._settings

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())


def _derive_broker_settings(sender, source, **kwargs):
    """The result backend, and the transport for Redis, when not set."""
    if not source.result_backend:
        backend = result_backend_for(source.broker_url)
        if backend:
            source.result_backend = backend
    if not source.broker_transport and broker_kind(source.broker_url) == 'redis':
        source.broker_transport = defaults.REDIS_TRANSPORT
        if redis_needs_ssl_settings(source.broker_url, source.broker_use_ssl):
            # What kombu does for rediss:// when it picks the transport
            # from the URL itself (it warns about it as well).
            import ssl

            source.broker_use_ssl = {'ssl_cert_reqs': ssl.CERT_NONE}


class BannerWorker(Worker):
    """Celery's worker, whose banner also lists the jobs and filters."""

    def startup_info(self, artlines=True):
        return '%s\n%s' % (super().startup_info(artlines), sioworkers_banner(self.app))


class SioworkersCelery(Celery):
    """Celery, with a worker whose banner lists the jobs and filters."""

    @cached_property
    def Worker(self):  # noqa: N802 (Celery's name)
        return self.subclass_with_self(BannerWorker)


def make_app(broker_url=None, set_as_current=False, **settings):
    """A Celery app configured for sioworkers.

    ``broker_url`` and ``settings`` (Celery setting names) override the
    defaults and the configuration module.
    """
    app = SioworkersCelery('sioworkers', set_as_current=set_as_current, include=[JOB_MODULE])
    lazy = _LazySettings()
    app.config_from_object(lazy)
    app.on_after_configure.connect(_derive_broker_settings, sender=app, weak=False)
    if broker_url:
        settings['broker_url'] = broker_url
    if settings:
        current = {key: lazy[key] for key in MERGED_SETTINGS if key in settings and key in lazy}
        app.conf.update(merge_settings(current, settings))
    return app


#: The app workers run and :func:`sio.celery.job.sioworkers_job` is bound
#: to, configured from the environment.
app = make_app(set_as_current=True)
