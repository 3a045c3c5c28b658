"""Logs a collector can parse: one JSON object a line, each request logged once with its id."""

import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quyche.logs import JSONFormatter

ROOT = Path(__file__).resolve().parent.parent


def as_json(record: logging.LogRecord) -> dict:
    line = JSONFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


@pytest.fixture
def request_log():
    """The request lines as a JSON handler writes them (formatted when logged, in the request's thread)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    logger = logging.getLogger("quyche.requests")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_it_logs_a_request_once_with_its_id_status_duration_and_user(client, cast, request_log):
    client.force_login(cast.office_a)
    response = client.get(f"/to-chuc/{cast.a.pk}/")
    [entry] = request_log()
    assert entry["level"] == "INFO" and entry["logger"] == "quyche.requests"
    assert entry["time"].endswith("+00:00")
    assert entry["message"] == f"GET /to-chuc/{cast.a.pk}/ 200"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", f"/to-chuc/{cast.a.pk}/", 200)
    assert entry["user_id"] == cast.office_a.pk and entry["duration_ms"] >= 0
    assert entry["request_id"] == response["X-Request-ID"] and len(entry["request_id"]) == 32


def test_it_keeps_the_proxys_request_id_and_replaces_one_that_is_not(client, db, request_log):
    kept = client.get("/dang-nhap/", headers={"X-Request-ID": "0123456789abcdef0123456789abcdef"})
    replaced = client.get("/dang-nhap/", headers={"X-Request-ID": '"}\n{"level": "forged'})
    assert kept["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    assert replaced["X-Request-ID"] != '"}\n{"level": "forged' and len(replaced["X-Request-ID"]) == 32
    first, second = request_log()
    assert first["request_id"] == kept["X-Request-ID"] and first["user_id"] is None
    assert second["request_id"] == replaced["X-Request-ID"]


def test_a_line_carries_the_exception_and_the_fields_given_to_it():
    try:
        raise ValueError("Điều 5 không có khoản nào")
    except ValueError:
        record = logging.getLogger("regulations").makeRecord(
            "regulations", logging.ERROR, __file__, 1, "Could not print version %s", (42,), sys.exc_info(),
            extra={"version_id": 42},
        )  # fmt: skip
    entry = as_json(record)
    assert entry["message"] == "Could not print version 42" and entry["version_id"] == 42
    assert entry["exception"].startswith("Traceback") and "ValueError: Điều 5 không có khoản nào" in entry["exception"]
    assert "request_id" not in entry  # logged outside a request


def test_every_line_a_production_process_writes_is_json():
    """The settings as production reads them (DEBUG off: JSON by default), in a process of their own."""
    script = (
        "import django, logging; django.setup()\n"
        "logging.getLogger('quyche').warning('một dòng\\nhai dòng')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    logging.getLogger('quyche').exception('failed')\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "LOG_FORMAT")},
        "DJANGO_SETTINGS_MODULE": "quyche.settings",
        "SECRET_KEY": "x" * 50,
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(e["level"], e["message"]) for e in lines] == [("WARNING", "một dòng\nhai dòng"), ("ERROR", "failed")]
    assert "ZeroDivisionError" in lines[1]["exception"]


def test_every_line_a_worker_writes_from_start_to_stop_is_json(tmp_path):
    """As the unit runs it, on a Redis of its own: its warnings (as root), a task it runs, its shutdown notice. Without
    --quiet, to show that the banner is left out."""
    from celery import Celery

    from tests.services import RedisServer

    redis = RedisServer().start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_", "LOG_"))},
        "DJANGO_SETTINGS_MODULE": "quyche.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "REDIS_URL": redis.url,
        "LOG_FORMAT": "json",
    }
    out, err = tmp_path / "stdout", tmp_path / "stderr"
    command = [str(Path(sys.executable).parent / "celery"), "-A", "quyche", "worker", "--loglevel", "INFO", "-c", "1"]
    with out.open("w") as stdout, err.open("w") as stderr:
        worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=stdout, stderr=stderr)
    try:
        Celery(broker=redis.url).send_task("quyche.heartbeat")
        deadline = time.monotonic() + 60
        while "succeeded" not in err.read_text() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        redis.stop()
    lines = [line for line in (out.read_text() + err.read_text()).splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # a line that is not JSON fails here
    messages = [entry["message"] for entry in entries]
    assert any(m.endswith(" ready.") for m in messages) and "worker: Warm shutdown (MainProcess)" in messages
    assert any(m.startswith("Task quyche.heartbeat[") and " succeeded in " in m for m in messages), messages
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
