"""The production stack as separate processes, for the tests of a deployment: gunicorn web hosts (our
quyche/gunicorn.conf.py, DEBUG=0), a Celery worker, an S3-compatible server (moto), and an HTTP client that
keeps its session cookie the way a browser behind TLS would."""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tests.services import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Mật-khẩu-thử-2026"


def database_url(name: str | None = None) -> str:
    """The URL of the test database (or of another database on the same server)."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name or db['NAME']}"


@contextmanager
def fresh_database(suffix: str):
    """An empty database beside the test database, its URL given, dropped afterwards (the test needs
    django_db(transaction=True): CREATE DATABASE runs outside a transaction)."""
    name = f"{connection.settings_dict['NAME']}_{suffix}"

    def sql(statement):
        with connection.cursor() as cursor:
            cursor.execute(statement)

    sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(**extra) -> dict:
    """What a host of the deployment runs with: DEBUG off, its own key, plain HTTP on this machine."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="quyche.settings",
        DEBUG="0",
        SECRET_KEY=extra.pop("SECRET_KEY"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        WEB_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def secret_key() -> str:
    return secrets.token_urlsafe(50)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Each host collects its own static files (compressed, named by their contents); here one collection serves
    every host a test starts."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(SECRET_KEY=secret_key(), STATIC_ROOT=root),
        check=True,
        timeout=600,
    )
    return root


class Process:
    """A long-running process of the stack, its output kept in a file to show when something fails; run from this
    checkout, or from another release's code (cwd)."""

    def __init__(self, name: str, command: list[str], env: dict, log_dir: Path, cwd: Path = ROOT):
        self.name = name
        self.log = log_dir / f"{name}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class WebHost(Process):
    def __init__(self, name: str, env: dict, log_dir: Path, cwd: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            name,
            # Two instances on one machine: each its own control socket (gunicorn's default is one per user).
            [str(BIN / "gunicorn"), "-c", "quyche/gunicorn.conf.py", "--control-socket", str(log_dir / f"{name}.ctl")],
            {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            log_dir,
            cwd,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not self.running():
                pytest.fail(f"{name} stopped:\n{self.output()}")
            try:
                urllib.request.build_opener(_NoRedirect).open(f"{self.url}/dang-nhap/", timeout=5)
                return
            except urllib.error.HTTPError:  # an answer all the same (a redirect to HTTPS, with SECURE_SSL_REDIRECT)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"{name} did not answer:\n{self.output()}")


class Worker(Process):
    def __init__(self, env: dict, log_dir: Path):
        super().__init__(
            "worker",
            [str(BIN / "celery"), "-A", "quyche", "worker", "--pool=solo", "--without-gossip", "--without-mingle"],
            env,
            log_dir,
        )


class Browser:
    """One person's browser, which may be sent to any host: its cookies go with it. The session cookie is
    marked Secure (DEBUG off), so it is sent by hand over this machine's plain HTTP."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=dict(headers or {}))
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            if value and value != '""':
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.headers, response.read()

    def get(self, url: str, **kwargs):
        return self.request(url, **kwargs)

    def page(self, url: str) -> str:
        status, _, body = self.get(url)
        assert status == 200, (url, status)
        return body.decode()

    def log_in(self, host: str, username: str, password: str = PASSWORD) -> None:
        form = self.page(f"{host}/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        status, headers, _ = self.request(
            f"{host}/dang-nhap/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{host}/dang-nhap/"},
        )
        assert status == 302, f"login refused ({status})"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class S3Server(Process):
    """moto's S3-compatible server, with one bucket, and the variables that point the site at it."""

    BUCKET = "quyche-tep"

    def __init__(self, log_dir: Path):
        if shutil.which("moto_server", path=str(BIN)) is None:
            pytest.skip("moto_server is not installed (requirements.txt, development): no S3-compatible server")
        self.port = free_port()
        command = [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)]
        super().__init__("s3", command, {**os.environ}, log_dir)
        self.env = {
            "STORAGE_S3_BUCKET": self.BUCKET,
            "STORAGE_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.port}",
            "STORAGE_S3_ACCESS_KEY": "thu-nghiem",
            "STORAGE_S3_SECRET_KEY": "thu-nghiem-bi-mat",
            "STORAGE_S3_REGION": "us-east-1",
        }
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client().create_bucket(Bucket=self.BUCKET)
                return
            except Exception:
                if time.monotonic() > deadline or not self.running():
                    self.stop()
                    pytest.fail(f"moto_server did not answer:\n{self.output()}")
                time.sleep(0.2)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.env["STORAGE_S3_ENDPOINT_URL"],
            aws_access_key_id=self.env["STORAGE_S3_ACCESS_KEY"],
            aws_secret_access_key=self.env["STORAGE_S3_SECRET_KEY"],
            region_name=self.env["STORAGE_S3_REGION"],
        )

    def read(self, name: str) -> bytes:
        return self.client().get_object(Bucket=self.BUCKET, Key=name)["Body"].read()
