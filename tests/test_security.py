"""Safe defaults and abuse: what a security review of the running site probed (issue 12, items 4 and 5)."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from organizations.models import User
from quyche import api
from quyche.urls import urlpatterns as project_urlpatterns
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
LOCKED = "Đăng nhập sai quá nhiều lần"
WRONG_PASSWORD = "Tên đăng nhập hoặc mật khẩu không đúng"


def _broken(request):
    raise RuntimeError("a fault of ours")


def _not_here(request):
    raise Http404("No Organization matches the given query.")


# A page that fails and one whose 404 carries Django's English message, beside the project's own pages.
urlpatterns = [path("thu-loi/", _broken), path("thu-404/", _not_here), *project_urlpatterns]


def log_in(client, username, password, address="127.0.0.1", **data):
    return client.post(reverse("login"), {"username": username, "password": password, **data}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


class TestLoginLockout:
    def test_sixty_wrong_passwords_lock_the_account_and_the_right_one_is_refused(self, client, cast):
        response = log_in(client, "btv_a", "sai")
        assert response.status_code == 200 and WRONG_PASSWORD in response.content.decode()
        for _ in range(59):
            log_in(client, "btv_a", "sai")
        response = log_in(client, "btv_a", factories.PASSWORD)
        page = response.content.decode()
        assert response.status_code == 429
        assert LOCKED in page and "thử lại sau 15 phút" in page
        assert not logged_in(client)

    def test_the_account_is_locked_whatever_address_the_guesses_come_from(self, client, cast):
        for number in range(10):
            log_in(client, "btv_a", "sai", address=f"10.0.0.{number + 1}")
        assert log_in(client, "btv_a", factories.PASSWORD, address="10.0.1.1").status_code == 429
        assert not logged_in(client)

    def test_an_address_trying_many_accounts_is_locked_and_others_are_not(self, client, cast):
        for number in range(10):
            log_in(client, f"khong-co-{number}", "sai", address="10.0.0.9")
        assert log_in(client, "btv_a", factories.PASSWORD, address="10.0.0.9").status_code == 429
        assert not logged_in(client)
        assert log_in(client, "btv_a", factories.PASSWORD, address="10.0.0.10").status_code == 302
        assert logged_in(client)

    def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(self, client, cast, settings):
        settings.BEHIND_PROXY = True
        proxy = {"REMOTE_ADDR": "10.0.0.1"}
        for number in range(10):  # the client writes what it likes before the address the proxy appends
            client.post(
                reverse("login"), {"username": f"khong-co-{number}", "password": "sai"},
                HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.5", **proxy,
            )  # fmt: skip
        data = {"username": "btv_a", "password": factories.PASSWORD}
        response = client.post(reverse("login"), data, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5", **proxy)
        assert response.status_code == 429
        response = client.post(reverse("login"), data, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy)
        assert response.status_code == 302

    def test_a_few_mistakes_do_not_lock_and_the_lock_ends_after_the_cool_off(self, client, cast):
        with time_machine.travel("2026-03-20 08:00 +07:00", tick=False) as clock:
            for _ in range(9):
                log_in(client, "btv_a", "sai")
            assert log_in(client, "btv_a", factories.PASSWORD).status_code == 302
            client.logout()
            log_in(client, "btv_a", "sai")
            assert log_in(client, "btv_a", factories.PASSWORD).status_code == 429
            clock.shift(datetime.timedelta(minutes=16))
            assert log_in(client, "btv_a", factories.PASSWORD).status_code == 302
            assert logged_in(client)

    def test_the_admin_login_is_locked_too(self, client, db):
        factories.UserFactory(username="quantri", is_staff=True, is_superuser=True)
        for _ in range(10):
            client.post("/quan-tri/login/", {"username": "quantri", "password": "sai"})
        response = client.post("/quan-tri/login/", {"username": "quantri", "password": factories.PASSWORD})
        assert response.status_code == 429 and LOCKED in response.content.decode()

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "http://testserver.evil.example/"])
    def test_it_never_sends_a_user_off_site_after_logging_in(self, client, cast, target):
        response = log_in(client, "btv_a", factories.PASSWORD, next=target)
        assert response.status_code == 302 and response["Location"] == reverse("home")

    def test_it_follows_a_next_on_the_site(self, client, cast):
        response = log_in(client, "btv_a", factories.PASSWORD, next=f"/to-chuc/{cast.a.pk}/")
        assert response["Location"] == f"/to-chuc/{cast.a.pk}/"


class TestIdleSessions:
    def test_a_session_ends_after_eight_idle_hours(self, client, cast):
        with time_machine.travel("2026-03-20 08:00 +07:00", tick=False) as clock:
            log_in(client, "btv_a", factories.PASSWORD)
            assert client.get(reverse("home")).status_code == 200
            clock.shift(datetime.timedelta(hours=8, minutes=1))
            response = client.get(reverse("home"))
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    def test_activity_keeps_a_session_alive(self, client, cast):
        with time_machine.travel("2026-03-20 08:00 +07:00", tick=False) as clock:
            log_in(client, "btv_a", factories.PASSWORD)
            for _ in range(4):  # 20 hours of work, never 8 idle ones
                clock.shift(datetime.timedelta(hours=5))
                assert client.get(reverse("home")).status_code == 200

    def test_a_page_saves_the_session_again_only_once_it_is_a_minute_old(self, client, cast):
        def session_saves():
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse("home"))
            return [query for query in queries.captured_queries if query["sql"].startswith('UPDATE "django_session"')]

        with time_machine.travel("2026-03-20 08:00 +07:00", tick=False) as clock:
            log_in(client, "btv_a", factories.PASSWORD)
            clock.shift(datetime.timedelta(seconds=30))
            assert session_saves() == []
            clock.shift(datetime.timedelta(seconds=31))
            assert len(session_saves()) == 1
            assert session_saves() == []


class TestApi:
    def test_an_anonymous_request_is_answered_401_with_the_scheme_to_use(self, db):
        response = APIClient().get("/api/organizations/")
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
        assert response.json() == {"detail": "Cần đăng nhập hoặc gửi mã truy cập (token)."}

    def test_a_user_without_the_right_gets_404_not_401(self, cast):
        client = APIClient()
        client.force_authenticate(cast.outsider)
        assert client.get(f"/api/organizations/{cast.a.pk}/").status_code == 404

    def test_the_schema_is_for_logged_in_users_only(self, cast):
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
        assert response.status_code == 401 and "paths" not in response.content.decode()
        client = APIClient()
        client.force_authenticate(cast.member_a)
        assert client.get("/api/schema/", HTTP_ACCEPT="application/json").status_code == 200

    def test_a_user_past_the_rate_is_throttled_in_vietnamese(self, cast, monkeypatch):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")
        client = APIClient()
        client.force_authenticate(cast.btv_a)
        assert [client.get("/api/organizations/").status_code for _ in range(3)] == [200, 200, 200]
        response = client.get("/api/organizations/")
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        assert response.json() == {"detail": "Quá nhiều yêu cầu; hãy thử lại sau."}
        other = APIClient()
        other.force_authenticate(cast.member_a)
        assert other.get("/api/organizations/").status_code == 200

    def test_guessed_tokens_are_throttled_and_then_even_the_right_one_is_refused(self, cast, monkeypatch):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "wrong_token", "5/minute")
        token = Token.objects.create(user=cast.btv_a)
        guesser = APIClient(REMOTE_ADDR="10.0.0.7")
        statuses = []
        for number in range(50):
            guesser.credentials(HTTP_AUTHORIZATION=f"Token {number:040x}")
            statuses.append(guesser.get("/api/organizations/").status_code)
        assert statuses == [401] * 5 + [429] * 45
        guesser.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        response = guesser.get("/api/organizations/")
        assert response.status_code == 429 and response.json() == {"detail": "Quá nhiều yêu cầu; hãy thử lại sau."}
        elsewhere = APIClient(REMOTE_ADDR="10.0.0.8")
        elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert elsewhere.get("/api/organizations/").status_code == 200

    def test_a_forged_forwarded_for_does_not_escape_the_throttle(self, cast, monkeypatch):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "wrong_token", "2/minute")
        client = APIClient()
        statuses = []
        for number in range(4):
            client.credentials(HTTP_AUTHORIZATION="Token sai", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
            statuses.append(client.get("/api/organizations/").status_code)
        assert statuses == [401, 401, 429, 429]

    def test_a_session_user_is_not_caught_by_wrong_tokens_from_the_same_address(self, client, cast, monkeypatch):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "wrong_token", "1/minute")
        guesser = APIClient()
        guesser.credentials(HTTP_AUTHORIZATION="Token sai")
        guesser.get("/api/organizations/")
        assert guesser.get("/api/organizations/").status_code == 429
        client.force_login(cast.btv_a)
        assert client.get("/api/organizations/").status_code == 200

    @pytest.mark.parametrize("limit", ["1000000", "33879213891051114716987392"])
    def test_a_page_holds_at_most_the_maximum(self, cast, monkeypatch, limit):
        monkeypatch.setattr(api.Pagination, "max_limit", 2)
        client = APIClient()
        client.force_authenticate(cast.superior_btv)
        response = client.get("/api/organizations/", {"limit": limit})
        assert response.status_code == 200
        data = response.json()
        assert len(data["results"]) == 2 and data["count"] == 6 and "limit=2" in data["next"]

    def test_the_maximum_page_is_a_few_hundred_rows(self):
        assert 100 <= api.Pagination.max_limit <= 1000

    def test_an_offset_past_the_end_answers_an_empty_page(self, cast):
        client = APIClient()
        client.force_authenticate(cast.superior_btv)
        response = client.get("/api/organizations/", {"offset": "33879213891051114716987392"})
        assert response.status_code == 200 and response.json()["results"] == []


class TestPages:
    def test_pages_carry_a_content_security_policy_without_inline_scripts(self, login, cast):
        response = login(cast.btv_a).get(reverse("organizations:detail", args=[cast.a.pk]))
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "Content-Security-Policy" in login(cast.btv_a).get(reverse("login")).headers

    def test_no_page_template_has_what_the_policy_would_block(self):
        """Inline scripts, on… handlers and style attributes would be refused by the browser. Emails and
        PDFs are not pages: they keep their inline styles."""
        blocked = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style\b|javascript:", re.I)
        found = []
        for template in sorted((ROOT / "templates").rglob("*.html")):
            relative = template.relative_to(ROOT / "templates")
            if relative.parts[0] == "pdf" or "email" in relative.parts:
                continue
            found += [f"{relative}: {match.group(0)}" for match in blocked.finditer(template.read_text())]
        assert found == []

    def test_a_missing_page_answers_in_vietnamese_without_listing_the_urls(self, login, cast):
        response = login(cast.btv_a).get("/khong-co-trang-nay/")
        page = response.content.decode()
        assert response.status_code == 404 and "Không tìm thấy trang" in page
        assert "Page not found" not in page and "URLconf" not in page

    def test_a_404_shows_our_reason_but_not_django_s_english_one(self, login, cast, settings):
        response = login(cast.outsider).get(reverse("organizations:detail", args=[cast.a.pk]))
        assert response.status_code == 404 and "Không tìm thấy tổ chức." in response.content.decode()
        settings.ROOT_URLCONF = __name__
        response = login(cast.outsider).get("/thu-404/")
        page = response.content.decode()
        assert response.status_code == 404 and "Organization" not in page
        assert "Trang bạn tìm không tồn tại hoặc bạn không có quyền xem." in page

    def test_a_server_error_answers_in_vietnamese_and_reads_nothing_from_the_database(
        self, db, settings, django_assert_num_queries
    ):
        settings.ROOT_URLCONF = __name__
        client = Client(raise_request_exception=False)
        with django_assert_num_queries(0):
            response = client.get("/thu-loi/")
        page = response.content.decode()
        assert response.status_code == 500 and "Đã có lỗi xảy ra" in page
        assert "RuntimeError" not in page and "Traceback" not in page

    def test_a_bad_request_answers_in_vietnamese(self, db):
        response = Client().get("/", HTTP_HOST="evil.example")
        assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.content.decode()

    def test_a_form_without_its_csrf_token_is_refused_in_vietnamese(self, cast):
        client = Client(enforce_csrf_checks=True)
        client.force_login(cast.btv_a)
        response = client.post(reverse("logout"))
        assert response.status_code == 403 and "Hãy tải lại trang rồi gửi lại." in response.content.decode()
        assert logged_in(client)


class TestDemo:
    def test_the_demo_refuses_to_run_without_debug(self, db, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="chỉ dùng trên máy phát triển"):
            call_command("seed_demo")
        assert not User.objects.exists()


def settings_in(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Load the project's settings in a fresh Python with only these variables, and print the names."""
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "quyche.settings", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


class TestSettings:
    @pytest.mark.parametrize(
        "env",
        [{}, {"DEBUG": "0"}, {"DEBUG": "0", "SECRET_KEY": "django-insecure-quick-start-only"}, {"SECRET_KEY": ""}],
        ids=["nothing set", "DEBUG=0", "the quick-start key", "an empty key"],
    )
    def test_the_site_refuses_to_start_with_debug_off_and_no_key_of_its_own(self, env):
        clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "quyche.settings", **env}
        run = {"cwd": ROOT, "env": clean, "capture_output": True, "text": True, "timeout": 60}
        served = subprocess.run([sys.executable, "-c", "import quyche.wsgi"], **run)
        assert served.returncode != 0
        assert "ImproperlyConfigured: With DEBUG off, set SECRET_KEY" in served.stderr
        # Commands that do not serve (check, migrate) still run; the deploy check names the weak key.
        deploy = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], **run)
        assert "security.W009" in deploy.stderr + deploy.stdout

    def test_debug_is_off_unless_asked_for_and_headers_from_a_proxy_are_trusted_only_when_configured(self):
        result = settings_in({"SECRET_KEY": "k" * 50}, "DEBUG", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_AGE")
        assert result.stdout.split() == ["False", "None", "28800"]
        result = settings_in({"DEBUG": "1"}, "DEBUG", "SECRET_KEY")
        assert result.stdout.split() == ["True", "'django-insecure-quick-start-only'"]
        result = settings_in({"SECRET_KEY": "k" * 50, "BEHIND_PROXY": "1"}, "SECURE_PROXY_SSL_HEADER")
        assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"

    def test_the_limits_come_from_the_environment(self):
        env = {
            "SECRET_KEY": "k" * 50, "SESSION_IDLE_MINUTES": "30", "LOGIN_FAILURE_LIMIT": "3",
            "LOGIN_COOLOFF_MINUTES": "60", "API_RATE_USER": "7/hour", "API_RATE_WRONG_TOKEN": "2/hour",
        }  # fmt: skip
        rates = "REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']"
        result = settings_in(env, "SESSION_COOKIE_AGE", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", rates)
        assert result.stdout.splitlines() == [
            "1800", "3", "datetime.timedelta(seconds=3600)", "{'user': '7/hour', 'wrong_token': '2/hour'}",
        ]  # fmt: skip
