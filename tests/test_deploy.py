"""What deploy/ ships agrees with the application: every setting in the environment file, units that
systemd accepts, and an nginx that lets through what the site takes and waits as long as gunicorn."""

import configparser
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from regulations.parsing.limits import MAX_UPLOAD

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
APP = "/srv/quyche/app"  # where the README installs the application
READ = re.compile(r"""(?:environ\.get|env_bool|env_list)\(\s*["']([A-Z0-9_]+)["']""")


def variables_read() -> set[str]:
    return {
        name
        for path in (ROOT / "quyche" / "settings.py", ROOT / "quyche" / "gunicorn.conf.py")
        for name in READ.findall(path.read_text(encoding="utf-8"))
    }


def template() -> dict[str, str]:
    """The environment file's variables, set or shown commented with their default."""
    text = (DEPLOY / "quyche.env.example").read_text(encoding="utf-8")
    return dict(re.findall(r"^(?:# )?([A-Z0-9_]+)=(.*)$", text, re.MULTILINE))


def test_the_environment_file_lists_every_setting_the_application_reads_and_no_other():
    assert variables_read() == set(template())
    assert template()["LOG_FORMAT"] == "json" and template()["DEBUG"] == "0"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def test_the_units_run_as_the_sites_user_with_the_environment_file_restarted_and_confined():
    assert [p.name for p in UNITS] == ["quyche-beat.service", "quyche-web.service", "quyche-worker.service"]
    for path in UNITS:
        service = unit(path)["Service"]
        assert (service["User"], service["EnvironmentFile"], service["WorkingDirectory"]) == (
            "quyche",
            "/etc/quyche/quyche.env",
            APP,
        ), path.name
        assert service["Restart"] == "on-failure" and service["ProtectSystem"] == "strict", path.name
        assert service["StateDirectory"] == "quyche" and service["NoNewPrivileges"] == "yes", path.name
        assert template()["MEDIA_ROOT"].startswith("/var/lib/quyche/")  # the one place they may write
    web = unit(DEPLOY / "systemd" / "quyche-web.service")["Service"]
    assert web["ExecStart"] == f"{APP}/.venv/bin/gunicorn -c quyche/gunicorn.conf.py"
    assert web["ExecReload"] == "/bin/kill -HUP $MAINPID" and web["Type"] == "notify"
    beat = unit(DEPLOY / "systemd" / "quyche-beat.service")["Service"]
    assert "--schedule /var/lib/quyche/" in beat["ExecStart"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    """Verified where this checkout's virtualenv stands in for the server's (systemd checks the programs)."""
    for path in UNITS:
        text = path.read_text(encoding="utf-8").replace(f"{APP}/.venv/bin", str(Path(sys.executable).parent))
        (tmp_path / path.name).write_text(text.replace(APP, str(ROOT)), encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")


def nginx() -> str:
    return (DEPLOY / "nginx" / "quyche.conf").read_text(encoding="utf-8")


def megabytes(value: str) -> int:
    assert value.endswith("m")
    return int(value[:-1]) * 1024 * 1024


def test_nginx_lets_through_the_largest_request_the_site_takes_and_not_much_more():
    limit = megabytes(re.search(r"client_max_body_size (\w+);", nginx()).group(1))
    largest = max(MAX_UPLOAD, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    assert largest < limit <= largest + 4 * 1024 * 1024


def test_nginx_waits_a_little_longer_than_gunicorn_and_passes_what_the_site_trusts():
    gunicorn_timeout = runpy.run_path(str(ROOT / "quyche" / "gunicorn.conf.py"))["timeout"]
    read = int(re.search(r"proxy_read_timeout (\d+)s;", nginx()).group(1))
    assert gunicorn_timeout < read <= gunicorn_timeout + 10
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx()
    assert template()["BEHIND_PROXY"] == "1"
    upstream = re.search(r"upstream quyche \{\s*server ([\d.:]+);", nginx()).group(1)
    assert upstream == template()["GUNICORN_BIND"]


def test_nginx_serves_the_collected_static_files_and_never_the_stored_ones():
    static_root = settings.STATIC_ROOT.relative_to(settings.BASE_DIR)
    assert f"alias {APP}/{static_root}/;" in nginx()
    assert "/media" not in nginx() and template()["MEDIA_ROOT"] not in nginx()
    assert re.search(r"return 301 https://\$host\$request_uri;", nginx())
    assert "location = /healthz" in nginx()


def test_make_serve_refuses_without_a_database_redis_and_key():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    result = subprocess.run([sys.executable, "deploy/serve"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr and "REDIS_URL" in result.stderr and "SECRET_KEY" in result.stderr
    assert "migrate" not in result.stdout  # nothing was run
