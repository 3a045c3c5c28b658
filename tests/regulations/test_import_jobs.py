"""A long text imported from the page by the worker: the page shows how far it has got, the version is
the one an import in the request makes."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from organizations.models import BodyKind, OrganizationKind, Role
from regulations import services
from regulations.models import ImportJob, ImportJobStatus, Provision, Version, VersionStatus
from tests import factories
from tests.regulations import texts

ARTICLES = texts.long_articles(60)
REVISED, _ = texts.long_revision(ARTICLES)
NEW_TEXT = texts.regulation_text(REVISED, number="07-QC/ĐUK", date=(20, 3, 2026))


def snapshot(version: Version) -> dict:
    """What a reader finds of a version: its record, and each provision with the old one it continues."""
    old_positions = {row.key: row.position for row in Provision.objects.filter(version=version.replaces)}
    return {
        "version": {
            name: getattr(version, name) for name in ("number", "issued", "status", "kind", *Version.DOCUMENT_FIELDS)
        },
        "replaces": version.replaces.number,
        "provisions": [
            (row.kind, row.label, row.heading, row.text, row.position, row.depth, old_positions.get(row.key))
            for row in Provision.objects.filter(version=version).order_by("position")
        ],
        "history": sorted(
            {
                (record.history_user_id, record.history_change_reason)
                for record in Provision.history.filter(version=version)
            }
        ),
    }


def save_new_version(client, regulation):
    url = reverse("regulations:import", args=[regulation.organization_id])
    return client.post(url, {"text": NEW_TEXT, "action": "save", "kind": "", "regulation": regulation.pk})


@pytest.fixture
def twins(cast):
    """The same first version in A and in another bloc whose office office_a also is."""
    twin = factories.organization(OrganizationKind.BLOC, parent=cast.city, name="Đảng ủy Khối Doanh nghiệp", code="KB")
    factories.seat(cast.office_a, twin, BodyKind.OFFICE, Role.OFFICE_STAFF)
    first = texts.regulation_text(ARTICLES, number="01-QC/ĐUK")
    return [
        services.regulation_import(text=first, user=cast.office_a, organization=organization).version.regulation
        for organization in (cast.a, twin)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_long_text_is_imported_by_the_worker_with_its_progress_shown_and_the_same_result(
    celery_on_redis, settings, login, cast, twins
):
    in_request, in_background = twins
    client = login(cast.office_a)
    settings.IMPORT_BACKGROUND_ARTICLES = 50
    response = save_new_version(client, in_request)  # with CELERY_TASK_ALWAYS_EAGER, as without Redis
    assert response["Location"] == reverse("regulations:version", args=[in_request.versions.latest("pk").pk])
    assert not ImportJob.objects.exists()

    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = save_new_version(client, in_background)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("regulations:import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Văn bản 60 điều đang chờ được nhập ở chế độ nền" in page and "hx-trigger" in page
    assert login(cast.member_a).get(response["Location"]).status_code == 404
    client = login(cast.office_a)
    with start_worker(celery_on_redis, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        # Asked of the job's own table only: the tests' shared in-memory SQLite locks the tables the
        # worker is writing to until it commits, where a real database lets the page read on.
        deadline = time.monotonic() + 60
        while not ImportJob.objects.filter(pk=job.pk, finished_at__isnull=False).exists():
            assert time.monotonic() < deadline
            time.sleep(0.2)
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and job.text == ""
    assert poll["HX-Redirect"] == reverse("regulations:version", args=[job.version_id])
    assert "Đã lưu" in client.get(poll["HX-Redirect"]).content.decode()
    made_here, made_there = in_request.versions.latest("pk"), in_background.versions.latest("pk")
    assert made_there.status == VersionStatus.IN_FORCE and made_there.replaces.status == VersionStatus.REPLACED
    assert snapshot(made_there) == snapshot(made_here)


def test_a_job_refused_by_the_time_it_runs_says_why_and_saves_nothing(login, cast, twins):
    regulation = twins[0]
    job = services.import_job_create(text=NEW_TEXT, user=cast.office_a, organization=cast.a, regulation=regulation)
    services.regulation_import(text=NEW_TEXT, user=cast.office_a, regulation=regulation)  # the number, taken meanwhile
    versions = Version.objects.count()
    services.import_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and "07-QC/ĐUK đã được dùng" in job.message
    assert Version.objects.count() == versions
    page = login(cast.office_a).get(reverse("regulations:import_job", args=[job.pk])).content.decode()
    assert "Không nhập được văn bản" in page and "07-QC/ĐUK đã được dùng" in page and "hx-trigger" not in page


def test_a_job_is_refused_at_once_as_an_import_would_be(cast, twins):
    services.regulation_import(text=NEW_TEXT, user=cast.office_a, regulation=twins[0])
    with pytest.raises(services.ValidationError, match="07-QC/ĐUK đã được dùng"):
        services.import_job_create(text=NEW_TEXT, user=cast.office_a, organization=cast.a, regulation=twins[0])
    with pytest.raises(services.PermissionDenied):
        services.import_job_create(text=NEW_TEXT, user=cast.member_a, organization=cast.a, regulation=twins[0])
    assert not ImportJob.objects.exists()


def test_the_page_says_the_import_is_under_way_while_the_worker_runs_it(login, cast, twins):
    job = services.import_job_create(text=NEW_TEXT, user=cast.office_a, organization=cast.a, regulation=twins[0])
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(seconds=3)
    )
    poll = login(cast.office_a).get(reverse("regulations:import_job", args=[job.pk]), headers={"HX-Request": "true"})
    page = poll.content.decode()
    assert "Đang nhập văn bản 60 điều" in page and "(đã 3 giây)" in page and "hx-trigger" in page
    assert "<html" not in page


def test_a_job_the_worker_never_ended_is_given_up_and_its_text_offered_back(login, settings, cast, twins):
    """The worker was down: after IMPORT_JOB_TIMEOUT_MINUTES the page stops waiting, and "Nhập lại" opens the
    import form with the text pasted before, so nothing the person brought is lost."""
    settings.IMPORT_JOB_TIMEOUT_MINUTES = 15
    job = services.import_job_create(text=NEW_TEXT, user=cast.office_a, organization=cast.a, regulation=twins[0])
    client = login(cast.office_a)
    url = reverse("regulations:import_job", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=14))
    assert "hx-trigger" in client.get(url).content.decode()  # not yet: still waiting

    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "chưa nhập xong văn bản sau 15 phút" in page and "hx-trigger" not in page
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.text == NEW_TEXT
    again = f"{reverse('regulations:import', args=[cast.a.pk])}?viec={job.pk}&amp;quy_che={twins[0].pk}"
    assert again in page
    form = client.get(again.replace("&amp;", "&")).content.decode()
    assert "Điều 60." in form and "07-QC/ĐUK" in form

    # A worker that comes back to it later imports nothing twice: the job has ended.
    versions = Version.objects.count()
    services.import_job_run(job=job)
    assert Version.objects.count() == versions


def test_only_its_owner_gets_a_failed_jobs_text_back(login, cast, twins):
    job = services.import_job_create(text=NEW_TEXT, user=cast.office_a, organization=cast.a, regulation=twins[0])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.FAILED)
    url = f"{reverse('regulations:import', args=[cast.a.pk])}?viec={job.pk}"
    assert "07-QC/ĐUK" in login(cast.office_a).get(url).content.decode()
    other = factories.UserFactory(username="vanphong.khac")
    factories.seat(other, cast.a, BodyKind.OFFICE, Role.OFFICE_STAFF)
    page = login(other).get(url)
    assert page.status_code == 200 and "07-QC/ĐUK" not in page.content.decode()


def test_the_admin_lists_import_jobs_read_only(admin_client, cast, twins):
    job = services.import_job_create(text=NEW_TEXT, user=cast.office_a, organization=cast.a, regulation=twins[0])
    listing = admin_client.get(reverse("admin:regulations_importjob_changelist")).content.decode()
    assert "Nhập văn bản 60 điều (Đang chờ nhập)" in listing
    assert admin_client.get(reverse("admin:regulations_importjob_add")).status_code == 403
    detail = admin_client.get(reverse("admin:regulations_importjob_change", args=[job.pk])).content.decode()
    assert 'name="status"' not in detail and "Đang chờ nhập" in detail
