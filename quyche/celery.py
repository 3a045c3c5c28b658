"""The Celery app: broker and results on Redis (REDIS_URL); settings prefixed CELERY_ in quyche/settings.py."""

import os
import time

from celery import Celery
from celery.signals import setup_logging, worker_init, worker_ready

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
    """The worker and beat log through LOGGING (one JSON object a line in production), not Celery's own format."""
    from django.conf import settings
    from django.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@app.task(name="quyche.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Sent by beat every minute and run by a worker: a recent mark means both are running."""
    from django.core.cache import caches

    caches["counts"].set(HEARTBEAT_KEY, time.time(), timeout=None)


@worker_ready.connect
def beat_once_at_start(**kwargs):
    """A worker that has just started is alive without waiting a minute for beat."""
    heartbeat()
