"""The Celery app: broker and results on Redis (REDIS_URL); settings prefixed CELERY_ in quyche/settings.py."""

import logging
import os
import sys
import time

from celery import Celery
from celery.signals import celeryd_init, setup_logging, worker_init, worker_ready

from quyche.logs import JSONFormatter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")

app = Celery("quyche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Where the worker says it is alive, in the shared cache (Redis); /healthz reads it (quyche/health.py).
HEARTBEAT_KEY = "health:worker-heartbeat"


@worker_init.connect
def refuse_insecure_start(**kwargs):
    from quyche.security import refuse_insecure_start

    refuse_insecure_start()


@setup_logging.connect
def log_as_the_site_does(**kwargs):
    """The worker and beat log through LOGGING (one JSON object a line in production), not Celery's own format;
    Python's warnings too (Celery's own, about running as root, or a library's deprecations)."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    logging.captureWarnings(True)


@celeryd_init.connect
def log_as_the_site_does_from_the_first_line(instance, **kwargs):
    """The worker speaks before Celery sets up logging (its warning when run as root) and prints its banner and
    its shutdown notices itself: with LOG_FORMAT=json these are JSON lines too, or left out (the banner)."""
    from celery.apps import worker
    from django.conf import settings

    log_as_the_site_does()
    if settings.LOG_FORMAT == "json":
        instance.quiet = True  # the banner is a screenful for a terminal; "celery@host ready." is logged
        worker.safe_say = say_as_json


def say_as_json(msg, f=sys.__stderr__):
    """Celery's notices from its signal handlers ("worker: Warm shutdown (MainProcess)") as one JSON line, written
    as Celery writes them (os.write: a signal handler may not take logging's locks)."""
    record = logging.LogRecord("celery.apps.worker", logging.INFO, __file__, 0, msg.strip(), None, None)
    os.write(f.fileno(), (JSONFormatter().format(record) + "\n").encode())


@app.task(name="quyche.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Sent by beat every minute and run by a worker: a recent mark means both are running."""
    from django.core.cache import caches

    caches["counts"].set(HEARTBEAT_KEY, time.time(), timeout=None)


@worker_ready.connect
def beat_once_at_start(**kwargs):
    """A worker that has just started is alive without waiting a minute for beat."""
    heartbeat()
