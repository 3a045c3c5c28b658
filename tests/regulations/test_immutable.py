"""An issued text never changes in place: not through the admin, not by its history "revert", not in the database."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from regulations import editing
from regulations.models import Provision, ProvisionKind, Regulation, Version
from tests import factories
from tests.pdf import poppler
from tests.regulations import texts

A = texts.ARTICLES


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def issued(import_text):
    return import_text(texts.regulation_text([A["scope"], A["principles"], A["btv"]]))


def _article(version, label="2") -> Provision:
    return Provision.objects.get(version=version, kind=ProvisionKind.ARTICLE, label=label)


def _texts(version) -> list:
    return list(version.provisions.order_by("position").values_list("label", "heading", "text"))


def test_it_refuses_to_change_or_delete_an_issued_provision_in_the_admin(client, superuser, issued):
    article = _article(issued)
    before = _texts(issued)
    client.force_login(superuser)
    change = reverse("admin:regulations_provision_change", args=[article.pk])
    assert client.post(change, {"open_content": "on"}).status_code == 403
    delete = reverse("admin:regulations_provision_delete", args=[article.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert _texts(issued) == before and not Provision.objects.get(pk=article.pk).open_content


def test_it_refuses_the_history_revert_of_an_issued_provision(client, superuser, issued):
    article = _article(issued)
    record = article.history.earliest("history_date")
    client.force_login(superuser)
    url = reverse("admin:regulations_provision_simple_history", args=[article.pk, record.history_id])
    assert client.get(url).status_code == 200  # still readable
    assert client.post(url, {"open_content": "on"}).status_code == 403
    assert not Provision.objects.get(pk=article.pk).open_content and article.history.count() == 1


def test_it_refuses_to_delete_an_issued_version_or_its_regulation_in_the_admin(client, superuser, issued):
    client.force_login(superuser)
    version_delete = reverse("admin:regulations_version_delete", args=[issued.pk])
    regulation_delete = reverse("admin:regulations_regulation_delete", args=[issued.regulation_id])
    assert client.post(version_delete, {"post": "yes"}).status_code == 403
    assert client.post(regulation_delete, {"post": "yes"}).status_code == 403
    assert Version.objects.filter(pk=issued.pk).exists() and issued.provisions.count() == len(_texts(issued))


def test_it_keeps_the_history_of_a_regulations_title_and_organization(client, superuser, cast, issued):
    regulation = issued.regulation
    client.force_login(superuser)
    url = reverse("admin:regulations_regulation_change", args=[regulation.pk])
    form = {
        "organization": cast.b.pk,
        "kind": regulation.kind,
        "title": "Tên đã đổi",
        "review_interval_months": 6,
        "created_by": cast.office_a.pk,
        "versions-TOTAL_FORMS": 1,
        "versions-INITIAL_FORMS": 1,
        "versions-0-id": issued.pk,
        "versions-0-regulation": regulation.pk,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = Regulation.history.filter(id=regulation.pk).latest("history_date")
    previous = record.prev_record
    assert (record.title, record.organization_id, record.history_user) == ("Tên đã đổi", cast.b.pk, superuser)
    assert previous is not None and (previous.title, previous.organization_id) == (regulation.title, cast.a.pk)
    assert previous.created_by == cast.office_a
    assert client.get(reverse("admin:regulations_regulation_history", args=[regulation.pk])).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's own guard is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE regulations_provision SET text = 'Sửa lén' WHERE id = %s",
        "UPDATE regulations_provision SET heading = 'Sửa lén' WHERE id = %s",
        "DELETE FROM regulations_provision WHERE id = %s",
    ],
)
def test_the_database_refuses_a_raw_change_of_an_issued_provision(issued, statement):
    article = _article(issued)
    before = _texts(issued)
    with pytest.raises(DatabaseError, match="đã ban hành"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [article.pk])
    assert _texts(issued) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's own guard is PostgreSQL's")
def test_the_database_refuses_to_delete_an_issued_version_by_cascade(issued):
    with pytest.raises(DatabaseError, match="đã ban hành"), transaction.atomic():
        Regulation.objects.filter(pk=issued.regulation_id).delete()
    assert Version.objects.filter(pk=issued.pk).exists()


def test_it_records_a_correction_of_an_issued_text_with_who_when_and_why(login, cast, issued):
    article = _article(issued)
    client = login(cast.office_a)
    url = reverse("regulations:correct", args=[issued.pk, article.key])
    body = client.get(url).context["form"]["body"].value()
    response = client.post(
        url,
        {
            "heading": article.heading,
            "body": body.replace("Đảng", "Đảng Cộng sản Việt Nam", 1),
            "reason": "Sai sót kỹ thuật khi in",
            "number": "12-TB/ĐUK",
        },
    )
    assert response.status_code == 302
    correction = issued.corrections.get()
    assert (correction.created_by, correction.reason, correction.article_label) == (
        cast.office_a,
        "Sai sót kỹ thuật khi in",
        "2",
    )
    assert "Đảng Cộng sản Việt Nam" in editing.article_body(article=_article(issued))
    history = client.get(reverse("regulations:article", args=[issued.pk, article.key])).context["history"]
    (entry,) = history.entries
    assert entry.is_correction and entry.user == cast.office_a and "Sai sót kỹ thuật khi in" in entry.reason
    page = client.get(reverse("regulations:version", args=[issued.pk])).content.decode()
    assert "Đã đính chính ngày" in page and "theo 12-TB/ĐUK" in page


@pytest.mark.parametrize("who", ["btv_a", "outsider"])
def test_it_lets_only_the_office_correct(login, cast, issued, who):
    article = _article(issued)
    before = _texts(issued)
    client = login(getattr(cast, who))
    url = reverse("regulations:correct", args=[issued.pk, article.key])
    assert client.post(url, {"heading": "Khác", "body": "", "reason": "Thử"}).status_code == 404
    with pytest.raises(PermissionDenied):
        editing.version_correct(
            version=issued, user=getattr(cast, who), key=article.key, heading="Khác", body="Nội dung", reason="Thử"
        )
    assert _texts(issued) == before and not issued.corrections.exists()


def test_it_refuses_a_correction_without_a_reason_and_changes_nothing(cast, issued):
    article = _article(issued)
    before = _texts(issued)
    with pytest.raises(ValidationError, match="lý do đính chính"):
        editing.version_correct(
            version=issued, user=cast.office_a, key=article.key, heading="Khác", body="Nội dung", reason="  "
        )
    assert _texts(issued) == before and not issued.corrections.exists()


def test_after_a_correction_the_issued_pdf_is_printed_again_with_the_corrected_text_and_kept(
    login, cast, issued, django_capture_on_commit_callbacks
):
    client = login(cast.member_a)
    url = reverse("regulations:version_pdf", args=[issued.pk])
    assert "tuyệt đối" not in poppler.text(b"".join(client.get(url).streaming_content))
    kept = Version.objects.get(pk=issued.pk).pdf
    assert kept.storage.exists(kept.name)
    article = _article(issued)
    body = editing.article_body(article=article).replace("tuân thủ", "tuân thủ tuyệt đối", 1)
    with django_capture_on_commit_callbacks(execute=True):
        editing.version_correct(version=issued, user=cast.office_a, key=article.key, heading=article.heading,
                                body=body, reason="Sai sót kỹ thuật khi in")  # fmt: skip
    assert not kept.storage.exists(kept.name)  # the file of the text before the correction is gone
    corrected = b"".join(client.get(url).streaming_content)
    assert "tuyệt đối" in poppler.text(corrected)
    again = Version.objects.get(pk=issued.pk).pdf
    assert again.storage.exists(again.name)
    assert b"".join(client.get(url).streaming_content) == corrected  # the corrected text's file, kept
    assert Version.objects.get(pk=issued.pk).pdf.name == again.name


def test_after_a_correction_the_page_shows_the_corrected_text(login, cast, issued):
    client = login(cast.member_a)
    url = reverse("regulations:version", args=[issued.pk])
    assert "tuyệt đối" not in client.get(url).content.decode()
    assert "tuyệt đối" not in client.get(url).content.decode()  # the text as kept drawn
    article = _article(issued)
    body = editing.article_body(article=article).replace("tuân thủ", "tuân thủ tuyệt đối", 1)
    editing.version_correct(version=issued, user=cast.office_a, key=article.key, heading=f"{article.heading} chung",
                            body=body, reason="Sai sót kỹ thuật khi in")  # fmt: skip
    page = client.get(url).content.decode()
    assert "tuân thủ tuyệt đối" in page
    assert f'<a href="#dieu-{article.label}">Điều {article.label}. {article.heading} chung</a>' in page  # contents
