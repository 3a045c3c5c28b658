"""What deploy/ ships agrees with the application: every setting in the environment file, units that
systemd accepts, and an nginx that lets through what the site takes and waits as long as gunicorn; where nginx is
installed, its configuration run in front of gunicorn."""

import configparser
import gzip
import http.client
import json
import os
import re
import runpy
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

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


TEMPORARY_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@pytest.fixture
def nginx_in_front(tmp_path, static_root):
    """deploy/nginx/quyche.conf as a server runs it, moved under a temporary prefix: its own ports, a self-signed
    certificate for quyche.example.vn, this checkout's collected static files, and gunicorn (DEBUG off, behind
    the proxy) as its upstream, over an empty database (the pages asked for here read none)."""
    from tests import stack

    nginx_binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if nginx_binary is None or not Path("/etc/nginx/mime.types").exists():
        pytest.skip("nginx is not installed (scripts/ensure-apt nginx; .ci/run installs it)")
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=quyche.example.vn", "-addext", "subjectAltName=DNS:quyche.example.vn",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    env = stack.production_env(
        SECRET_KEY=stack.secret_key(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        STATIC_ROOT=static_root,
        ALLOWED_HOSTS="quyche.example.vn",
        BEHIND_PROXY=1,
        SECURE_SSL_REDIRECT=1,
        SECURE_HSTS_SECONDS=31536000,
    )
    web = stack.WebHost("web", env, tmp_path)
    http_port, https_port = stack.free_port(), stack.free_port()
    site = (
        nginx()
        .replace("    listen [::]:80;\n", "")
        .replace("    listen [::]:443 ssl http2;\n", "")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        .replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{web.port};")
        .replace("/etc/ssl/quyche/fullchain.pem", str(certificate))
        .replace("/etc/ssl/quyche/privkey.pem", str(key))
        .replace(f"alias {APP}/staticfiles/;", f"alias {static_root}/;")
    )
    (tmp_path / "quyche.conf").write_text(site, encoding="utf-8")
    # What /etc/nginx/nginx.conf gives a site on Debian, with every path under the prefix.
    temporary = "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n" for kind in TEMPORARY_PATHS)
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")  # its workers read the tests' private temporary folders
        + f"""daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp_path}/access.log;
{temporary}    include {tmp_path}/quyche.conf;
}}
""",
        encoding="utf-8",
    )
    command = [nginx_binary, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=60)
    server = stack.Process("nginx", command, env, tmp_path)
    try:
        deadline = time.monotonic() + 30
        while not _answers(https_port):
            assert server.running() and time.monotonic() < deadline, (tmp_path / "error.log").read_text()
            time.sleep(0.1)
        yield SimpleNamespace(
            checked=checked, web=web, static_root=static_root, http_port=http_port, https_port=https_port,
            certificate=certificate,
        )  # fmt: skip
    finally:
        server.stop()
        web.stop()


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _https(proxy, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """A browser's request to https://quyche.example.vn/, the certificate checked against the one made for it."""
    context = ssl.create_default_context(cafile=str(proxy.certificate))
    connection = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, context=context, timeout=60)
    connection.sock = context.wrap_socket(
        socket.create_connection(("127.0.0.1", proxy.https_port), timeout=60), server_hostname="quyche.example.vn"
    )
    connection.request(method, path, body=body, headers={"Host": "quyche.example.vn", **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response.status, response.headers, content


def test_nginx_with_the_shipped_configuration_serves_static_files_proxies_pages_and_refuses_large_bodies(
    nginx_in_front,
):
    proxy = nginx_in_front
    assert proxy.checked.returncode == 0 and "[warn]" not in proxy.checked.stderr, proxy.checked.stderr

    # Static files from STATIC_ROOT, by nginx itself: a hashed name kept a year, compressed ahead (gzip_static).
    manifest = json.loads((proxy.static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    status, headers, content = _https(proxy, "GET", f"/static/{hashed}")
    assert status == 200 and content == (proxy.static_root / hashed).read_bytes()
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    status, headers, _ = _https(proxy, "GET", f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    status, headers, _ = _https(proxy, "GET", "/static/css/site.css")  # the name without its hash: an hour
    assert status == 200 and headers["Cache-Control"] == "public, max-age=3600"
    assert "/static/" not in proxy.web.output()  # gunicorn never saw them

    # A page, from gunicorn through nginx: answered, not sent to HTTPS (the site trusts nginx's X-Forwarded-Proto),
    # with nginx's request id and the headers nginx adds to the site's.
    status, headers, content = _https(proxy, "GET", "/dang-nhap/")
    assert status == 200 and "Đăng nhập" in content.decode()
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert headers["Permissions-Policy"].startswith("camera=()") and headers["Content-Security-Policy"]
    assert "/dang-nhap/ 200" in proxy.web.output()
    # Compressed for a browser that takes it (a 300-article text: 444 KB of HTML, about 60 KB on the wire).
    status, headers, compressed = _https(proxy, "GET", "/dang-nhap/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    assert "Đăng nhập" in gzip.decompress(compressed).decode() and len(compressed) < len(content)

    # Past client_max_body_size: nginx refuses it, gunicorn never reads it.
    status, _, _ = _https(proxy, "POST", "/dang-nhap/", body=b"x" * (9 * 1024 * 1024))
    assert status == 413

    # Plain HTTP: sent to HTTPS, except /healthz, which a load balancer asks for host by host.
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=60)
    plain.request("GET", "/dang-nhap/", headers={"Host": "quyche.example.vn"})
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.headers["Location"] == "https://quyche.example.vn/dang-nhap/"
    redirect.read()
    plain.request("GET", "/healthz", headers={"Host": "quyche.example.vn"})
    health = plain.getresponse()
    assert health.headers["Content-Type"] == "application/json" and "checks" in json.loads(health.read())
    plain.close()
