"""/healthz: what a load balancer asks each host, without a login, over plain HTTP."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quyche.celery import HEARTBEAT_KEY
from tests.services import free_port


def health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json" and "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


@pytest.fixture
def on_redis(settings, redis_url):
    """The site pointed at a Redis, as production is: its shared cache, and a worker expected."""

    def point(url):
        settings.REDIS_URL = url
        settings.CACHES = {
            **settings.CACHES,
            "counts": {
                "BACKEND": "quyche.cache.SharedCache",  # as settings has it: forgiving a Redis that is down
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        }

    point(redis_url)
    caches["counts"].delete(HEARTBEAT_KEY)
    return point


def test_it_is_ok_without_redis_in_one_query_with_no_login_and_no_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    with CaptureQueriesContext(connection) as queries:
        status, body = health(client)
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "skipped", "storage": "ok", "worker": "skipped"},
    }
    assert len(queries) == 1
    assert "sessionid" not in client.cookies
    assert client.get("/").status_code == 301  # every other page goes to HTTPS


@pytest.mark.django_db(transaction=True)  # the worker's thread has a connection of its own
def test_it_is_ok_once_a_worker_has_run_the_heartbeat_beat_sends(client, on_redis, celery_on_redis):
    assert health(client) == (
        503,
        {"status": "fail", "checks": {"database": "ok", "redis": "ok", "storage": "ok", "worker": "fail"}},
    )
    with start_worker(celery_on_redis, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        # A worker marks itself alive when it starts; then beat's heartbeat, sent through the broker.
        caches["counts"].delete(HEARTBEAT_KEY)
        celery_on_redis.send_task("quyche.heartbeat")
        deadline = time.monotonic() + 30
        while caches["counts"].get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.1)
    status, body = health(client)
    assert status == 200 and body["status"] == "ok", body
    assert body["checks"] == {"database": "ok", "redis": "ok", "storage": "ok", "worker": "ok"}


def test_it_fails_when_the_last_heartbeat_is_stale(client, db, on_redis, settings):
    caches["counts"].set(HEARTBEAT_KEY, time.time() - settings.HEARTBEAT_STALE_SECONDS + 30, timeout=None)
    assert health(client)[0] == 200
    caches["counts"].set(HEARTBEAT_KEY, time.time() - settings.HEARTBEAT_STALE_SECONDS - 30, timeout=None)
    status, body = health(client)
    assert status == 503 and body["status"] == "fail" and body["checks"]["worker"] == "fail"
    assert body["checks"]["redis"] == "ok"


def test_it_fails_at_once_when_redis_is_unreachable_and_says_no_more(client, db, on_redis):
    on_redis(f"redis://:s3cret@127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "fail", "storage": "ok", "worker": "fail"}
    assert "s3cret" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


def test_it_fails_when_the_stored_files_cannot_be_written(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.write_text("a file where the folder should be")  # as root, permissions would not stop it
    status, body = health(client)
    assert (status, body["checks"]["storage"]) == (503, "fail")
