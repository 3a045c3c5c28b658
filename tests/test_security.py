"""Safe defaults and abuse: what a security review of the running site probed (issue 12, items 4 and 5)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from organizations.models import User

ROOT = Path(__file__).resolve().parent.parent


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
    def test_it_refuses_to_start_with_debug_off_and_no_key_of_its_own(self, env):
        result = settings_in(env, "DEBUG")
        assert result.returncode != 0
        assert "ImproperlyConfigured: With DEBUG off, set SECRET_KEY" in result.stderr

    def test_debug_is_off_unless_asked_for_and_headers_from_a_proxy_are_trusted_only_when_configured(self):
        result = settings_in({"SECRET_KEY": "k" * 50}, "DEBUG", "SECURE_PROXY_SSL_HEADER")
        assert result.stdout.split() == ["False", "None"]
        result = settings_in({"DEBUG": "1"}, "DEBUG", "SECRET_KEY")
        assert result.stdout.split() == ["True", "'django-insecure-quick-start-only'"]
        result = settings_in({"SECRET_KEY": "k" * 50, "BEHIND_PROXY": "1"}, "SECURE_PROXY_SSL_HEADER")
        assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
