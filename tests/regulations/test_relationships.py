"""Lược đồ on a regulation's page: its bases with their status in the register, its texts, its adaptations."""

import datetime

import pytest
from django.urls import reverse

from regulations import services
from regulations.models import RegulationKind
from tests.regulations import texts


@pytest.fixture
def model(cast, two_versions):
    """A's model regulation (quy chế mẫu), and A's QCLV in two versions citing 232-QĐ/TW, which the register holds."""
    services.superior_document_create(
        user=None, number="232-QĐ/TW", issued=datetime.date(2025, 1, 20), issuer="Ban Chấp hành Trung ương",
        title="Quy định về thi hành Điều lệ Đảng",
    )  # fmt: skip
    text = texts.regulation_text([texts.ARTICLES["scope"], texts.ARTICLES["secretary"]], number="04-QC/ĐUK")
    return services.regulation_import(text=text, user=None, organization=cast.a, kind=RegulationKind.MODEL).version


def adapt(model, organization, number):
    text = texts.regulation_text([texts.ARTICLES["scope"]], number=number).replace(
        "ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG", organization.name.upper()
    )
    version = services.regulation_import(text=text, user=None, organization=organization).version
    services.regulation_link_model(regulation=version.regulation, model=model.regulation, user=None)
    return version.regulation


def test_it_shows_the_bases_with_their_status_and_the_texts_that_replaced_one_another(login, cast, model, two_versions):
    first, second = two_versions
    page = login(cast.member_a).get(reverse("regulations:detail", args=[first.regulation_id])).content.decode()
    section = page[page.index('id="luoc-do"') :]
    assert (
        "Căn cứ Quy định số 232-QĐ/TW" in section
        and '<span class="status status-in_force">Còn hiệu lực</span>' in section
    )
    assert "(chưa có trong danh mục văn bản cấp trên)" in section  # Điều lệ Đảng
    assert (
        f'Sửa đổi, bổ sung, thay thế <a href="{reverse("regulations:version", args=[first.pk])}">01-QC/ĐUK</a>'
        in section
    )


def test_it_lists_the_adaptations_in_a_number_of_queries_that_does_not_grow(
    login, cast, model, django_assert_num_queries, uncached_header
):
    justice = adapt(model, cast.a_child, "01-QC/ĐU")
    client = login(cast.btv_a)
    url = reverse("regulations:detail", args=[model.regulation_id])
    # session, user, regulation, seats, versions, amendments, cited documents, adaptations, whether the reader
    # follows it, three header counts
    with django_assert_num_queries(12):
        page = client.get(url).content.decode()
    assert reverse("regulations:detail", args=[justice.pk]) in page
    cell = adapt(model, cast.a_cell, "01-QC/CB")
    with django_assert_num_queries(12):
        page = client.get(url).content.decode()
    assert reverse("regulations:detail", args=[cell.pk]) in page
    # A member of A's BCH only reads A's own pages: the model, not the regulations below adapted from it.
    page = login(cast.member_a).get(url).content.decode()
    assert "Trong phạm vi bạn được xem, chưa có quy chế nào dựa trên quy chế mẫu này." in page
    assert reverse("regulations:detail", args=[justice.pk]) not in page


def test_it_says_how_many_more_adaptations_there_are(cast, model, monkeypatch):
    from regulations import relationships, selectors

    adapt(model, cast.a_child, "01-QC/ĐU")
    adapt(model, cast.a_cell, "01-QC/CB")
    monkeypatch.setattr(relationships, "ADAPTATIONS_SHOWN", 1)
    regulation = model.regulation
    links = relationships.relationships(
        regulation, user=cast.superior_btv, versions=selectors.versions_of(regulation), amendments=[]
    )
    assert len(links.adaptations) == 1 and links.more_adaptations == 1
