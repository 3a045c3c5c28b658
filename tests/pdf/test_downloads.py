import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, NotificationReason
from quyche.celery import app as celery_app
from regulations import services as regulation_services
from regulations.models import Version
from reviews import services
from tests.pdf import poppler
from tests.regulations import texts


@pytest.fixture
def issued(cast, import_text):
    return import_text(texts.regulation_text(texts.numbered_articles(6), number="06-QC/ĐUK"))


def test_an_issued_text_is_printed_once_and_kept(login, cast, issued):
    client = login(cast.member_a)
    first = client.get(reverse("regulations:version_pdf", args=[issued.pk]))
    assert first["Content-Type"] == "application/pdf"
    assert 'filename="06-QC-DUK.pdf"' in first["Content-Disposition"]
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF")
    stored = Version.objects.get(pk=issued.pk).pdf
    assert stored.name.startswith("pdf/versions/")
    second = client.get(reverse("regulations:version_pdf", args=[issued.pk]))
    assert b"".join(second.streaming_content) == body
    assert Version.objects.get(pk=issued.pk).pdf.name == stored.name


def test_a_draft_is_printed_afresh_with_its_mark(login, cast, import_text):
    draft = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=""))
    response = login(cast.office_a).get(reverse("regulations:version_pdf", args=[draft.pk]))
    assert "DỰ THẢO" in poppler.text(response.getvalue())
    assert not Version.objects.get(pk=draft.pk).pdf


def test_an_outsider_gets_404_on_every_pdf(login, people, at_consultation, issued):
    client = login(people.outsider)
    for url in (
        reverse("regulations:version_pdf", args=[issued.pk]),
        reverse("reviews:comparison_pdf", args=[at_consultation.pk]),
        reverse("reviews:synthesis_pdf", args=[at_consultation.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_comparison_and_synthesis_download_from_their_pages(login, people, at_consultation):
    client = login(people.member_a)
    page = client.get(reverse("reviews:comparison", args=[at_consultation.pk])).content.decode()
    assert reverse("reviews:comparison_pdf", args=[at_consultation.pk]) in page
    response = client.get(reverse("reviews:comparison_pdf", args=[at_consultation.pk]))
    assert response["Content-Type"] == "application/pdf" and response.getvalue().startswith(b"%PDF")
    response = client.get(reverse("reviews:synthesis_pdf", args=[at_consultation.pk]))
    assert response.getvalue().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_large_text_is_printed_by_the_worker_and_the_reader_is_told(celery_on_redis, settings, login, cast, issued):
    settings.PDF_BACKGROUND_ARTICLES = 5
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = login(cast.member_a)
    url = reverse("regulations:version_pdf", args=[issued.pk])
    with start_worker(celery_on_redis, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page = client.get(url).content.decode()
        assert "Đang tạo tệp PDF" in page
        status = reverse("regulations:version_pdf_status", args=[issued.pk])
        deadline = time.monotonic() + 60
        while "đã sẵn sàng" not in client.get(status).content.decode() and time.monotonic() < deadline:
            time.sleep(0.5)
    assert "Tệp PDF đã sẵn sàng" in client.get(status).content.decode()
    notice = Notification.objects.get(recipient=cast.member_a, reason=NotificationReason.PDF_READY)
    assert notice.url == url
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")


def test_the_draft_tab_offers_the_draft_as_printed_now_even_to_those_consulted_from_below(
    login, people, at_consultation
):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        organizations=[people.a_child],
    )  # fmt: skip
    client = login(people.office_child)  # answers for A's đảng bộ cơ sở; no right on A's regulation itself
    url = reverse("reviews:draft_pdf", args=[at_consultation.pk])
    assert url in client.get(reverse("reviews:draft", args=[at_consultation.pk])).content.decode()
    response = client.get(url)
    assert f'filename="du-thao-{at_consultation.draft_id}.pdf"' in response["Content-Disposition"]
    text = poppler.text(response.getvalue())
    assert "DỰ THẢO" in text and "năm ngày làm việc" in text  # the edit made in the draft
    assert client.get(reverse("regulations:version_pdf", args=[at_consultation.draft_id])).status_code == 404
    assert login(people.outsider).get(url).status_code == 404


def test_the_draft_pdf_of_an_issued_amendment_is_the_kept_file(login, people, amendment):
    regulation_services.version_issue(
        version=amendment.draft, issued=timezone.localdate(),
        signer_authority="T/M BAN CHẤP HÀNH", signer_position="BÍ THƯ", signer_name="Nguyễn Văn Long",
    )  # fmt: skip
    response = login(people.member_a).get(reverse("reviews:draft_pdf", args=[amendment.pk]))
    assert response["Location"] == reverse("regulations:version_pdf", args=[amendment.draft_id])


@pytest.mark.django_db(transaction=True)
def test_a_large_text_asked_for_while_redis_is_down_says_so_at_once_and_can_be_retried(
    private_redis, settings, login, cast, issued
):
    settings.PDF_BACKGROUND_ARTICLES = 5
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = login(cast.member_a)
    url = reverse("regulations:version_pdf", args=[issued.pk])
    status = reverse("regulations:version_pdf_status", args=[issued.pk])
    private_redis.stop()
    started = time.monotonic()
    response = client.get(url)
    assert time.monotonic() - started < 5
    page = response.content.decode()
    assert response.status_code == 503
    assert "Lúc này chưa tạo được tệp PDF" in page and "thử lại sau ít phút" in page and f'href="{url}"' in page
    assert "Đang tạo" not in page
    assert Version.objects.get(pk=issued.pk).pdf_requested_at is None  # nothing claims it is being made
    assert "Thử lại" in client.get(status).content.decode()

    private_redis.start()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert "Đang tạo tệp PDF" in client.get(url).content.decode()  # the reader's retry
        deadline = time.monotonic() + 60
        while "đã sẵn sàng" not in client.get(status).content.decode() and time.monotonic() < deadline:
            time.sleep(0.5)
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
