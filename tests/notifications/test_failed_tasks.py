"""A background task that fails for good is kept for the admins to see, and emailed to ADMINS."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from notifications.models import FailedTask
from regulations import tasks
from tests import factories

CHANGELIST = reverse("admin:notifications_failedtask_changelist")


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_on_the_worker_is_recorded_and_emailed_to_the_admins(celery_on_redis, settings, cast):
    settings.ADMINS = [("Quản trị", "quantri@example.vn")]
    with start_worker(celery_on_redis, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        tasks.render_version_pdf.delay(987654, cast.office_a.pk)  # a version that does not exist
        deadline = time.monotonic() + 30
        while not FailedTask.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    failed = FailedTask.objects.get()
    assert failed.task_name == "regulations.tasks.render_version_pdf"
    assert failed.arguments == f"987654, {cast.office_a.pk}"
    assert failed.exception == "DoesNotExist: Version matching query does not exist."
    assert "Traceback" in failed.traceback and failed.task_id
    [email] = mail.outbox
    assert email.to == ["quantri@example.vn"]
    assert "regulations.tasks.render_version_pdf" in email.subject and "987654" in email.body


@pytest.fixture
def failed(cast):
    """A task run here, as the quick start runs them (inline), failing: recorded just the same."""
    tasks.render_version_pdf.apply(args=(987654, cast.office_a.pk))
    return FailedTask.objects.get()


def test_an_admin_reads_the_failure_and_cannot_change_it(client, failed):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    assert "Tác vụ nền bị lỗi" in client.get(reverse("admin:index")).content.decode()
    page = client.get(CHANGELIST).content.decode()
    assert "Tác vụ nền bị lỗi" in page and "regulations.tasks.render_version_pdf" in page
    detail = client.get(reverse("admin:notifications_failedtask_change", args=[failed.pk])).content.decode()
    assert "Version matching query does not exist" in detail and 'name="_save"' not in detail
    assert client.post(reverse("admin:notifications_failedtask_delete", args=[failed.pk])).status_code == 403
    assert FailedTask.objects.filter(pk=failed.pk).exists()


def test_others_do_not_see_the_failures(client, cast, failed):
    client.force_login(cast.office_a)
    assert client.get(CHANGELIST).status_code == 302  # to the admin's login
    client.force_login(factories.UserFactory(is_staff=True))  # staff, without the permission to view them
    assert client.get(CHANGELIST).status_code == 403
    assert "Tác vụ nền bị lỗi" not in client.get(reverse("admin:index")).content.decode()
