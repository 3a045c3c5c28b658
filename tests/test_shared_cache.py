"""With Redis gone, the shared cache is done without: pages and the API are served, computed afresh."""

import io

import pytest
import redis
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.regulations import texts
from tests.services import free_port


@pytest.fixture
def redis_down(settings):
    nowhere = {
        "BACKEND": "quyche.cache.SharedCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": nowhere, "counts": nowhere, "kept": nowhere}


def test_an_issued_text_and_a_comparison_are_drawn_without_the_cache(redis_down, login, cast, import_text):
    old = import_text(texts.regulation_text(texts.numbered_articles(3), number="01-QC/ĐUK"))
    new = import_text(texts.regulation_text(texts.numbered_articles(4), number="02-QC/ĐUK"), regulation=old.regulation)
    client = login(cast.member_a)
    for _ in range(2):
        page = client.get(reverse("regulations:version", args=[new.pk]))
        assert page.status_code == 200 and "Nhiệm vụ số 4" in page.content.decode()
        compare = client.get(reverse("regulations:compare", args=[old.pk, new.pk]))
        assert compare.status_code == 200 and "Nhiệm vụ số 4" in compare.content.decode()


def test_the_api_answers_and_wrong_tokens_are_refused_without_the_cache(redis_down, cast):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/organizations/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=cast.member_a).key}")
    assert client.get("/api/organizations/").status_code == 200


def test_forgetting_the_counts_leaves_the_other_caches_and_the_queue(settings, redis_url, login, cast):
    """After a restore, `forget_counts` makes pages count afresh; the texts kept for every reader, the throttles
    and Celery's queue in the same Redis database stay."""
    shared = {name: {"BACKEND": "quyche.cache.SharedCache", "LOCATION": redis_url,
                     "KEY_PREFIX": "quyche" if name == "counts" else f"quyche-{name}"}
              for name in ("default", "counts", "kept")}  # fmt: skip
    settings.CACHES = shared
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    server.lpush("celery", "a queued task")
    caches["kept"].set("text", "drawn")
    caches["default"].set("throttle", 3)
    page = reverse("organizations:detail", args=[cast.a.pk])
    login(cast.btv_a).get(page)  # keeps the reader's seats, counts and the page's parts
    assert server.keys("quyche:*")
    call_command("forget_counts", stdout=io.StringIO())
    assert server.keys("quyche:*") == []
    assert caches["kept"].get("text") == "drawn" and caches["default"].get("throttle") == 3
    assert server.lrange("celery", 0, -1) == [b"a queued task"]
    server.flushdb()
