"""Celery against a real Redis and a real worker, and email through a real SMTP conversation."""

import datetime
import json
import time
from io import StringIO

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.management import call_command

from notifications import services as notifications
from notifications import tasks
from notifications.models import EmailStatus, Notification
from quyche.celery import app
from tests.services import SMTPServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_runs_the_scan_and_delivers_the_emails(celery_on_redis, people, in_force):
    with (
        time_machine.travel("2026-03-20 08:00 +07:00"),
        start_worker(celery_on_redis, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        summary = tasks.scan_reminders.delay().get(timeout=60)
        assert summary["created"] >= 1
        deadline = time.monotonic() + 60
        while len(mail.outbox) < summary["created"] and time.monotonic() < deadline:
            time.sleep(0.2)
    assert Notification.objects.count() == summary["created"]
    assert len(mail.outbox) == summary["created"]
    assert {m.to[0] for m in mail.outbox} >= {people.office_a.email}
    assert all(n.email_status == EmailStatus.SENT for n in Notification.objects.all())


def test_a_failed_email_is_retried_stays_visible_and_goes_once_the_server_is_back(settings, people, in_force, login):
    port = free_port()  # nothing listens there yet: the SMTP server is "down"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    with time_machine.travel("2026-03-20 08:00 +07:00"):
        summary = tasks.scan_reminders(today=datetime.date(2026, 3, 20))
    assert summary["created"] >= 1 and summary["emailed"] == 0
    failed = Notification.objects.get(recipient=people.office_a, reason="review_overdue")
    assert failed.email_status == EmailStatus.FAILED
    assert failed.email_attempts == notifications.MAX_EMAIL_ATTEMPTS  # the task retried before giving up
    assert "Connection" in failed.email_error or "refused" in failed.email_error
    assert "thư chưa gửi được" in login(people.office_a).get("/thong-bao/").content.decode()

    with SMTPServer(port) as server, time_machine.travel("2026-03-20 09:00 +07:00"):
        again = tasks.scan_reminders(today=datetime.date(2026, 3, 20))
    assert again["created"] == 0
    failed.refresh_from_db()
    assert failed.email_status == EmailStatus.SENT and failed.email_error == "", failed.email_error
    assert any("Subject: =?utf-8?" in message or "rà soát" in message for message in server.messages)
    assert len(server.messages) == summary["created"]


def send_reminders() -> dict:
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return json.loads(out.getvalue())


def test_emails_not_queued_while_redis_is_down_are_sent_by_a_later_scan(private_redis, people, in_force):
    private_redis.stop()
    with time_machine.travel("2026-03-20 08:00 +07:00"):
        started = time.monotonic()
        down = send_reminders()  # the command reports, it does not fail
        assert time.monotonic() - started < 10  # the first refusal stops the queueing, which gives up fast
    assert down["created"] >= 1 and down["not_queued"] == down["created"] and down["emailed"] == 0
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}

    private_redis.start()
    with (
        time_machine.travel("2026-03-20 08:05 +07:00"),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        soon = send_reminders()  # too soon to tell a lost email from one in the queue: left alone
        assert (soon["created"], soon["not_queued"]) == (0, 0)
        time.sleep(1)
        assert not mail.outbox
    with (
        time_machine.travel("2026-03-20 08:15 +07:00"),
        start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        later = send_reminders()
        assert (later["created"], later["not_queued"]) == (0, 0)
        deadline = time.monotonic() + 60
        while len(mail.outbox) < down["created"] and time.monotonic() < deadline:
            time.sleep(0.2)
    assert len(mail.outbox) == down["created"]  # each once
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    assert {m.to[0] for m in mail.outbox} >= {people.office_a.email}


def test_the_kept_list_says_an_email_failed_until_it_goes(settings, people, login):
    notice = notifications.notify(
        recipient_id=people.office_a.pk, reason="pdf_ready", subject="pdf:1", title="Tệp PDF đã sẵn sàng",
        body="", url="/",
    )  # fmt: skip
    Notification.objects.filter(pk=notice.pk).update(email_status=EmailStatus.PENDING)
    client = login(people.office_a)
    assert "thư chưa gửi được" not in client.get("/thong-bao/").content.decode()  # drawn and kept
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    with pytest.raises(OSError):
        notifications.send_emails([notice.pk])
    assert "thư chưa gửi được" in client.get("/thong-bao/").content.decode()
    with SMTPServer(port):
        assert notifications.send_emails([notice.pk]) == 1
    assert "thư chưa gửi được" not in client.get("/thong-bao/").content.decode()
