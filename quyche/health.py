"""/healthz, for a load balancer or a monitor: can this host serve, and is the background work running?

No login and no HTTPS redirect (SECURE_REDIRECT_EXEMPT); one query and one Redis read. It answers what
failed, never why: the reasons (which may name hosts) go to the log.
"""

import logging
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from quyche.celery import HEARTBEAT_KEY

logger = logging.getLogger(__name__)

OK, FAIL, SKIPPED = "ok", "fail", "skipped"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def _storage() -> str:
    """The stored files' folder takes a new file (a PDF kept), as the storage would write it; a bucket
    (STORAGE_S3_BUCKET) answers with these credentials."""
    if settings.STORAGE_S3_BUCKET:
        default_storage.exists("healthz")
        return OK
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=root):
        return OK


def _redis_and_worker() -> tuple[str, str]:
    """Without Redis tasks run inline: there is no worker to wait for."""
    if not settings.REDIS_URL:
        return SKIPPED, SKIPPED
    cache = caches["counts"]
    try:
        # The shared cache forgives a Redis that is down (quyche/cache.py): asked directly here.
        cache._cache.get_client().ping()
        beat = cache.get(HEARTBEAT_KEY)
    except Exception:
        logger.exception("Health check: Redis failed")
        return FAIL, FAIL
    if beat is None:
        logger.error("Health check: no worker heartbeat yet")
        return OK, FAIL
    if time.time() - beat > settings.HEARTBEAT_STALE_SECONDS:
        logger.error("Health check: the last worker heartbeat is %s s old", round(time.time() - beat))
        return OK, FAIL
    return OK, OK


def _run(name: str, check) -> str:
    try:
        return check()
    except Exception:
        logger.exception("Health check: %s failed", name)
        return FAIL


@never_cache
@require_safe
def healthz(request):
    redis, worker = _redis_and_worker()
    checks = {
        "database": _run("database", _database),
        "redis": redis,
        "storage": _run("storage", _storage),
        "worker": worker,
    }
    healthy = FAIL not in checks.values()
    return JsonResponse({"status": OK if healthy else FAIL, "checks": checks}, status=200 if healthy else 503)
