import pytest
from django.contrib import admin
from django.urls import reverse

from regulations import services
from regulations.models import Regulation, SuperiorDocument
from tests import factories
from tests.regulations import texts


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


def test_it_opens_every_models_list_in_the_admin(client, superuser, cast):
    client.force_login(superuser)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_it_refuses_a_misplaced_organization_in_the_admin(client, superuser, cast):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:organizations_organization_add"),
        {
            "name": "Chi bộ sai chỗ",
            "kind": "cell",
            "code": "SAI",
            "superior": cast.a.pk,
        },
    )
    assert "Chi bộ trực thuộc không thể trực thuộc đảng ủy khối" in response.content.decode()


def test_it_creates_an_organization_with_its_bodies_from_the_admin(client, superuser, cast):
    client.force_login(superuser)
    client.post(
        reverse("admin:organizations_organization_add"),
        {
            "name": "Chi bộ Sở Ngoại vụ",
            "kind": "grassroots_cell",
            "code": "SNV",
            "superior": cast.a.pk,
        },
    )
    created = cast.a.__class__.objects.get(code="SNV")
    assert created.parent == cast.a and list(created.bodies.values_list("name", flat=True)) == ["Chi ủy"]


def test_it_ends_a_superior_document_from_the_admin_and_records_who_did(client, superuser):
    document = SuperiorDocument.objects.create(number="232-QĐ/TW")
    client.force_login(superuser)
    url = reverse("admin:regulations_superiordocument_changelist")
    client.post(url, {"action": "mark_repealed", "_selected_action": [document.pk]})
    document.refresh_from_db()
    assert (document.status, document.ended_by) == ("repealed", superuser)


def test_it_saves_an_imported_regulation_in_the_admin_without_asking_who_created_it(client, superuser, cast):
    version = services.regulation_import(text=texts.corpus(texts.CONG_HAI), user=None, organization=cast.a).version
    client.force_login(superuser)
    url = reverse("admin:regulations_regulation_change", args=[version.regulation_id])
    response = client.post(
        url,
        {
            "organization": cast.a.pk,
            "kind": "other",
            "title": "Quy định về Văn phòng",
            "review_interval_months": 12,
            "versions-TOTAL_FORMS": 1,
            "versions-INITIAL_FORMS": 1,
            "versions-0-id": version.pk,
            "versions-0-regulation": version.regulation_id,
        },
    )
    assert response.status_code == 302, response.content.decode()
    regulation = Regulation.objects.get(pk=version.regulation_id)
    assert (regulation.title, regulation.review_interval_months, regulation.created_by) == (
        "Quy định về Văn phòng",
        12,
        None,
    )
