"""Real services the tests talk to: a Redis server and an SMTP server on this machine."""

import os
import shutil
import socket
import socketserver
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest

from quyche.celery import app


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A redis-server of our own on a free port, which a test may stop and start again (same port, empty)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("No Redis reachable and no redis-server installed: run `make test`, which installs it.")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if _redis_answers("127.0.0.1", self.port):
                return self
            time.sleep(0.1)
        pytest.fail(f"redis-server did not answer on port {self.port}.")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture(scope="session")
def redis_url():
    """The Redis CI provides (REDIS_TEST_URL), the local one, or a private redis-server started here."""
    configured = os.environ.get("REDIS_TEST_URL")
    if configured:
        yield configured
        return
    if _redis_answers("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/15"
        return
    server = RedisServer().start()
    try:
        yield server.url
    finally:
        server.stop()


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Enough of RFC 5321 for Django's SMTP backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 localhost test SMTP")
        while True:
            line = self.rfile.readline().decode("utf-8", "replace").strip()
            if not line:
                return
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 localhost")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                self.server.messages.append(b"".join(lines).decode("utf-8", "replace"))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int):
        super().__init__(("127.0.0.1", port), _SMTPHandler)
        self.messages: list[str] = []

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


def _forget_broker_pools():
    """The app keeps the connection pools of the broker it first published to (even the in-memory one of the
    tests that run tasks inline): a test pointed at another broker needs them made again.

    (kombu keeps the pools themselves, one per broker URL, for the next test on the same broker.)
    """
    app._pool = app.amqp._producer_pool = None
    # And the result backend it made for the broker of its first task (none, for tasks run inline).
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


@contextmanager
def _celery_on(url: str):
    previous = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    _forget_broker_pools()
    try:
        yield app
    finally:
        app.conf.update(previous)
        _forget_broker_pools()


@pytest.fixture
def celery_on_redis(redis_url, settings):
    """The app pointed at Redis, tasks sent to a worker instead of run inline, for one test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with _celery_on(redis_url) as pointed:
        yield pointed


@pytest.fixture
def private_redis(settings):
    """A Redis of the test's own, the app pointed at it, that the test stops and starts (the broker down)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    server = RedisServer().start()
    try:
        with _celery_on(server.url):
            yield server
    finally:
        server.stop()
