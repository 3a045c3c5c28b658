import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from organizations.models import BodyKind, Role
from regulations import services
from regulations.models import SuperiorDocument
from tests import factories
from tests.regulations import texts


@pytest.fixture
def keeper(cast):
    """An officer of the city's office, who keeps the register."""
    user = factories.UserFactory(username="vanphong_tu")
    factories.seat(user, cast.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    return user


def test_it_adds_a_document_and_links_the_texts_that_already_cite_it(login, cast, keeper, import_text):
    version = import_text(texts.regulation_text([texts.ARTICLES["scope"]]))  # cites "232-QĐ/TW"
    client = login(keeper)
    response = client.post(reverse("regulations:register"), {"number": "232 -QĐ/TW", "title": "về thi hành Điều lệ"})
    assert response.status_code == 302
    document = SuperiorDocument.objects.get()
    assert document.number == "232-QĐ/TW" and list(document.citing_versions.all()) == [version]


def test_it_records_a_replacement_and_the_citing_regulation_needs_review(login, cast, keeper, import_text):
    import_text(texts.regulation_text([texts.ARTICLES["scope"]]))
    client = login(keeper)
    for number in ("232-QĐ/TW", "294-QĐ/TW"):
        client.post(reverse("regulations:register"), {"number": number})
    old = SuperiorDocument.objects.get(number="232-QĐ/TW")
    client.post(reverse("regulations:register_end", args=[old.pk]), {"replaced_by": "294-QĐ/TW", "on": "2025-05-26"})
    old.refresh_from_db()
    assert old.status == "replaced" and old.replaced_by.number == "294-QĐ/TW"
    page = login(cast.superior_btv).get(reverse("oversight:dashboard", args=[cast.city.pk])).content.decode()
    assert "cần rà soát" in page


def test_it_explains_bad_input_and_saves_nothing(login, keeper):
    client = login(keeper)
    page = client.post(reverse("regulations:register"), {"number": "Quy định mới"}).content.decode()
    assert "Số, ký hiệu chưa đúng dạng" in page
    client.post(reverse("regulations:register"), {"number": "294-QĐ/TW"})
    page = client.post(reverse("regulations:register"), {"number": "294-QĐ/TW"}).content.decode()
    assert "294-QĐ/TW đã có trong danh mục" in page
    document = SuperiorDocument.objects.get()
    response = client.post(
        reverse("regulations:register_end", args=[document.pk]), {"replaced_by": "999-QĐ/TW", "on": "2026-01-01"},
        follow=True,
    )  # fmt: skip
    assert "999-QĐ/TW chưa có trong danh mục" in response.content.decode()
    document.refresh_from_db()
    assert document.status == "in_force"


def test_only_the_top_level_offices_keep_it(login, cast, keeper):
    document = SuperiorDocument.objects.create(number="294-QĐ/TW")
    client = login(cast.office_a)
    page = client.get(reverse("regulations:register")).content.decode()
    assert "294-QĐ/TW" in page and "Thêm vào danh mục" not in page
    assert client.post(reverse("regulations:register"), {"number": "296-QĐ/TW"}).status_code == 403
    assert client.post(reverse("regulations:register_end", args=[document.pk]), {"on": "2026-01-01"}).status_code == 403
    assert SuperiorDocument.objects.count() == 1


def test_it_records_who_added_a_document_and_who_ended_it(keeper):
    old, new = (
        services.superior_document_create(user=keeper, number=number, issued=None, issuer="", title="")
        for number in ("232-QĐ/TW", "294-QĐ/TW")
    )
    services.superior_document_end(user=keeper, document=old, on=datetime.date(2025, 5, 26), replaced_by=new)
    old.refresh_from_db()
    assert (old.created_by, old.ended_by, new.created_by) == (keeper, keeper, keeper)


@pytest.mark.parametrize("name", ["office_a", "superior_btv", "outsider"])
def test_its_services_refuse_anyone_who_does_not_keep_it_and_change_nothing(cast, name):
    user = getattr(cast, name)
    document = SuperiorDocument.objects.create(number="294-QĐ/TW")
    refused = "Chỉ văn phòng cấp ủy cấp tỉnh cập nhật danh mục văn bản cấp trên"
    with pytest.raises(PermissionDenied, match=refused):
        services.superior_document_create(user=user, number="296-QĐ/TW", issued=None, issuer="", title="")
    with pytest.raises(PermissionDenied, match=refused):
        services.superior_document_end(user=user, document=document, on=datetime.date(2026, 1, 1))
    document.refresh_from_db()
    assert SuperiorDocument.objects.count() == 1
    assert (document.status, document.status_changed_on, document.ended_by) == ("in_force", None, None)
