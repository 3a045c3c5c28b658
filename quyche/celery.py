"""The Celery app: broker and results on Redis (REDIS_URL); settings prefixed CELERY_ in quyche/settings.py."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quyche.settings")

app = Celery("quyche")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def refuse_insecure_start(**kwargs):
    from quyche.security import refuse_insecure_start

    refuse_insecure_start()
