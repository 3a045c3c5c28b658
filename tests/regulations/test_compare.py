"""Comparing two versions, page and API: the same queries whatever their length, kept for issued texts
until one of them is corrected."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regulations import editing, services
from regulations.models import Provision, ProvisionKind
from tests.regulations import texts

ARTICLES = texts.long_articles(60)


@pytest.fixture
def long_versions(import_text):
    first = import_text(texts.regulation_text(ARTICLES, number="11-QC/ĐUK"))
    revised, _ = texts.long_revision(ARTICLES)
    second = import_text(
        texts.regulation_text(revised, number="17-QC/ĐUK", date=(20, 3, 2026)), regulation=first.regulation
    )
    first.refresh_from_db()
    return first, second


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["regulations:compare", "api-compare"])
def test_it_asks_the_same_queries_for_7_or_60_articles_and_two_fewer_once_kept(
    login, cast, two_versions, long_versions, uncached_header, name
):
    client = login(cast.member_a)
    counts = []
    for first, second in (two_versions, long_versions):
        url = reverse(name, args=[first.pk, second.pk])
        counts.append((queries(client, url), queries(client, url)))
    expected = {"regulations:compare": (9, 7), "api-compare": (6, 4)}[name]
    assert counts == [expected, expected]


def test_a_correction_shows_in_a_comparison_already_made(login, cast, two_versions):
    first, second = two_versions
    client = login(cast.member_a)
    page, api = (reverse(name, args=[first.pk, second.pk]) for name in ("regulations:compare", "api-compare"))
    assert "tuyệt đối" not in client.get(page).content.decode() + client.get(api).content.decode()
    article = Provision.objects.get(version=second, kind=ProvisionKind.ARTICLE, label="2")
    body = editing.article_body(article=article).replace("tuân thủ", "tuân thủ tuyệt đối", 1)
    editing.version_correct(version=second, user=cast.office_a, key=article.key, heading=article.heading, body=body,
                            reason="Sai sót kỹ thuật khi in")  # fmt: skip
    assert "tuyệt đối" in client.get(page).content.decode()
    assert "tuyệt đối" in client.get(api).content.decode()


def test_a_drafts_comparison_follows_its_edits(login, cast, two_versions):
    first, second = two_versions
    draft = services.version_copy_as_draft(version=second, user=cast.office_a)
    client = login(cast.office_a)
    url = reverse("regulations:compare", args=[second.pk, draft.pk])
    assert "Hai phiên bản có nội dung giống nhau" in client.get(url).content.decode()
    Provision.objects.filter(version=draft, kind=ProvisionKind.ARTICLE, label="1").update(heading="Phạm vi áp dụng")
    assert "<ins>áp dụng</ins>" in client.get(url).content.decode()
