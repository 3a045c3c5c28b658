"""Two web hosts over one PostgreSQL, one Redis and one store of files, as a province runs them behind a load
balancer: gunicorn twice (DEBUG off, different ports), a Celery worker, each its own process with its own
memory. A login made on one holds on the other; a PDF asked for on one is made by the worker and served by
the other; wrong API tokens are counted wherever they land. Once with the files on one disk (MEDIA_ROOT)
and once in an S3-compatible bucket (moto's server)."""

import re
import time
from types import SimpleNamespace

import pytest
from django.conf import global_settings
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from regulations.models import Version
from tests import stack
from tests.regulations import texts
from tests.services import RedisServer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several hosts share one PostgreSQL: run with DATABASE_URL pointing at one (.ci/run does)",
    ),
]


@pytest.fixture(scope="module", params=["disk", "s3"])
def hosts(request, django_db_setup, static_root, tmp_path_factory):
    """Web hosts A and B and a worker host over the test database, a Redis of their own and one store of files:
    one folder both hosts mount (MEDIA_ROOT), or one bucket."""
    folder = tmp_path_factory.mktemp(f"hosts-{request.param}")
    redis = RedisServer().start()
    processes = [redis]
    try:
        if request.param == "s3":
            s3 = stack.S3Server(folder)
            processes.append(s3)
            storage, stored = {**s3.env, "MEDIA_ROOT": folder / "not-used"}, s3.read
        else:
            storage, stored = {"MEDIA_ROOT": folder / "media"}, lambda name: (folder / "media" / name).read_bytes()
        env = stack.production_env(
            SECRET_KEY=stack.secret_key(),
            DATABASE_URL=stack.database_url(),
            REDIS_URL=redis.url,
            STATIC_ROOT=static_root,
            PDF_BACKGROUND_ARTICLES=1,
            API_RATE_WRONG_TOKEN="3/minute",
            **storage,
        )
        processes.append(stack.Worker(env, folder))
        processes.append(stack.WebHost("web-a", env, folder))
        processes.append(stack.WebHost("web-b", env, folder))
        yield SimpleNamespace(a=processes[-2], b=processes[-1], stored=stored, processes=processes)
    finally:
        for process in reversed(processes):
            process.stop()


@pytest.fixture
def reader(cast, settings):
    """A member of A's committee, with a password the hosts check (they hash as production does)."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    cast.member_a.set_password(stack.PASSWORD)
    cast.member_a.save(update_fields=["password"])
    return cast.member_a


def test_a_login_on_one_host_holds_on_the_other_and_a_logout_ends_it_on_both(hosts, reader):
    a, b = hosts.a, hosts.b
    browser = stack.Browser()
    browser.log_in(a.url, reader.username)
    assert str(reader) in browser.page(f"{b.url}/")  # B reads the session A opened
    page = browser.page(f"{a.url}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _, _ = browser.request(
        f"{b.url}/dang-xuat/", data={"csrfmiddlewaretoken": token}, headers={"Referer": f"{b.url}/"}
    )
    assert status == 302
    status, headers, _ = browser.get(f"{a.url}/")
    assert status == 302 and "/dang-nhap/" in headers["Location"]


def test_a_pdf_asked_for_on_one_host_is_made_by_the_worker_and_served_by_the_other(hosts, reader, cast, import_text):
    a, b = hosts.a, hosts.b
    version = import_text(texts.regulation_text(texts.numbered_articles(3), number="06-QC/ĐUK"))
    pdf = reverse("regulations:version_pdf", args=[version.pk])
    status_url = reverse("regulations:version_pdf_status", args=[version.pk])
    browser = stack.Browser()
    browser.log_in(a.url, reader.username)

    assert "Đang tạo tệp PDF" in browser.page(a.url + pdf)  # queued to the worker, not printed by A
    deadline = time.monotonic() + 90
    while "đã sẵn sàng" not in browser.page(b.url + status_url):
        assert time.monotonic() < deadline, f"no PDF made:\n{hosts_output(hosts)}"
        time.sleep(0.5)
    status, headers, body = browser.get(b.url + pdf)
    assert status == 200 and headers["Content-Type"] == "application/pdf", body[:300]
    name = Version.objects.get(pk=version.pk).pdf.name
    assert body.startswith(b"%PDF") and body == hosts.stored(name)  # the file the worker stored, read from the store
    assert browser.get(a.url + pdf)[2] == body


def test_wrong_api_tokens_are_counted_whichever_host_they_reach(hosts, reader):
    a, b = hosts.a, hosts.b
    right = Token.objects.create(user=reader).key
    api = "/api/organizations/"

    def call(host, key):
        return stack.Browser().get(host.url + api, headers={"Authorization": f"Token {key}"})[0]

    assert call(a, right) == 200
    assert [call(a, "sai-1"), call(b, "sai-2"), call(a, "sai-3")] == [401, 401, 401]
    assert call(b, right) == 429  # three wrong ones, two on A and one on B: B refuses even the right one


def hosts_output(hosts) -> str:
    return "\n".join(process.output() for process in hosts.processes if hasattr(process, "output"))
