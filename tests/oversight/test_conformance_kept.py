"""The conformance a superior reads on the dashboard, its exports and the API is the figure kept with
the regulation: it follows every change of either text, as the regulation's own report computes it.

Đảng bộ Sở Tư pháp (under bloc A) adapts the city's model: both have "Phạm vi điều chỉnh" and
"Trách nhiệm, quyền hạn của Ban Thường vụ", word for word (100%).
"""

import csv
import datetime
import importlib
import io
import re

import openpyxl
import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from inspections import services as inspection_services
from inspections.models import FindingKind, InspectionKind
from organizations.models import BodyKind, OrganizationKind, Role
from quyche import counts as quyche_counts
from regulations import conformance, editing
from regulations import services as regulation_services
from regulations.models import Provision, Regulation, RegulationKind
from reviews import services as review_services
from reviews.models import Amendment, AmendmentStatus
from tests import factories
from tests.regulations import texts

A = texts.ARTICLES
NOW = "2026-04-01 09:00 +07:00"


@pytest.fixture
def offices(cast):
    """The offices of the city (which issues the model) and of Sở Tư pháp (which adapts it)."""
    city, child = factories.UserFactory(username="office_city"), factories.UserFactory(username="office_child")
    factories.seat(city, cast.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    factories.seat(child, cast.a_child, BodyKind.OFFICE, Role.OFFICE_STAFF)
    return city, child


def issue(articles, *, number, date, organization=None, regulation=None, kind=None):
    return regulation_services.regulation_import(
        text=texts.regulation_text(articles, number=number, date=date),
        user=None,
        organization=None if regulation else organization,
        regulation=regulation,
        kind=kind,
    ).version


@pytest.fixture
def model(cast):
    return issue([A["scope"], A["btv"]], number="09-QC/TU", date=(1, 6, 2025), organization=cast.city,
                 kind=RegulationKind.MODEL)  # fmt: skip


@pytest.fixture
def adapted(cast, model):
    version = issue([A["scope"], A["btv"]], number="01-QC/ĐU", date=(15, 9, 2025), organization=cast.a_child)
    return regulation_services.regulation_link_model(regulation=version.regulation, model=model.regulation, user=None)


def shown(cast, regulation) -> tuple:
    """The figure of Sở Tư pháp's row as the superior reads it: on the page, in the CSV, from the API."""
    client = APIClient()
    client.force_login(cast.superior_btv)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("oversight:dashboard", args=[cast.a.pk])).content.decode()
        export = client.get(reverse("oversight:export", args=[cast.a.pk, "csv"]))
        api = client.get(f"/api/organizations/{cast.a.pk}/oversight/").json()["results"]
    report = reverse("regulations:conformance", args=[regulation.pk])
    on_page = re.search(rf'href="{report}">(\d+)%<', page)
    header, *rows = csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")))
    in_csv = next(row for row in rows if row[0] == cast.a_child.name)[header.index("Mức phù hợp quy chế mẫu (%)")]
    from_api = next(row for row in api if row["name"] == cast.a_child.name)["conformance"]
    return int(on_page[1]) if on_page else None, int(in_csv) if in_csv else None, from_api


def expected(regulation) -> int:
    return conformance.conformance_report(Regulation.objects.get(pk=regulation.pk)).figure


def article(version, label) -> Provision:
    return Provision.objects.get(version=version, kind="article", label=label)


def correct(version, user, label, old, new):
    node = article(version, label)
    body = editing.article_body(article=node)
    assert old in body
    editing.version_correct(version=version, user=user, key=node.key, heading=node.heading,
                            body=body.replace(old, new), reason="Sai sót khi đánh máy")  # fmt: skip


def test_it_shows_the_figure_kept_when_the_regulation_is_linked_to_its_model(cast, adapted):
    assert shown(cast, adapted) == (100, 100, 100) and expected(adapted) == 100


def test_a_new_version_of_the_regulation_is_compared_anew(cast, adapted):
    issue([A["scope"], A["secretary"]], number="02-QC/ĐU", date=(1, 3, 2026), regulation=adapted)
    assert shown(cast, adapted) == (50, 50, 50) and expected(adapted) == 50


def test_an_older_version_slotted_in_behind_changes_nothing(cast, adapted):
    issue([A["scope"]], number="05-QC/ĐU", date=(1, 7, 2025), regulation=adapted)
    assert shown(cast, adapted) == (100, 100, 100) and expected(adapted) == 100


# A model's adaptations are compared anew on the worker, once the change is committed.


def test_a_new_version_of_the_model_is_compared_anew(cast, model, adapted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issue([A["scope"], A["btv"], A["secretary"]], number="10-QC/TU", date=(1, 2, 2026),
              regulation=model.regulation)  # fmt: skip
    assert shown(cast, adapted) == (66, 66, 66) and expected(adapted) == 66


def test_a_correction_of_the_model_is_compared_anew(cast, offices, model, adapted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        correct(model, offices[0], "2", "giữa hai kỳ họp", "giữa hai kỳ họp thường lệ")
    assert shown(cast, adapted) == (50, 50, 50) and expected(adapted) == 50


def test_a_correction_of_the_regulation_is_compared_anew(cast, offices, adapted):
    correct(adapted.current_version, offices[1], "2", "giữa hai kỳ họp", "giữa hai kỳ họp thường lệ")
    assert shown(cast, adapted) == (50, 50, 50) and expected(adapted) == 50


def test_content_the_model_marks_open_is_no_longer_a_deviation(
    cast, offices, model, adapted, django_capture_on_commit_callbacks
):
    correct(adapted.current_version, offices[1], "2", "giữa hai kỳ họp", "giữa hai kỳ họp thường lệ")
    with django_capture_on_commit_callbacks(execute=True):
        conformance.open_content_set(provision=article(model, "2"), user=offices[0], value=True)
    assert shown(cast, adapted) == (100, 100, 100) and expected(adapted) == 100
    with django_capture_on_commit_callbacks(execute=True):
        conformance.open_content_set(provision=article(model, "2"), user=offices[0], value=False)
    assert shown(cast, adapted) == (50, 50, 50)


def test_a_models_adaptations_are_compared_on_the_worker_after_the_commit(
    cast, model, adapted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        issue([A["scope"], A["btv"], A["secretary"]], number="10-QC/TU", date=(1, 2, 2026),
              regulation=model.regulation)  # fmt: skip
    on_worker = [callback for callback in queued if "conformance" in callback.__qualname__]
    assert len(on_worker) == 1 and shown(cast, adapted) == (100, 100, 100)


def test_unlinking_and_relinking_to_another_model(cast, model, adapted):
    regulation_services.regulation_link_model(regulation=adapted, model=None, user=None)
    assert shown(cast, adapted) == (None, None, None)
    bloc_model = issue([A["scope"], A["btv"], A["meetings"]], number="03-QC/ĐUK", date=(1, 7, 2025),
                       organization=cast.a, kind=RegulationKind.MODEL)  # fmt: skip
    regulation_services.regulation_link_model(regulation=adapted, model=bloc_model.regulation, user=None)
    assert shown(cast, adapted) == (66, 66, 66) and expected(adapted) == 66


def test_the_admin_relinking_keeps_the_figure_too(admin_client, cast, model, adapted):
    bloc_model = issue([A["scope"], A["btv"], A["meetings"]], number="03-QC/ĐUK", date=(1, 7, 2025),
                       organization=cast.a, kind=RegulationKind.MODEL)  # fmt: skip
    url = reverse("admin:regulations_regulation_change", args=[adapted.pk])
    form = {
        "organization": cast.a_child.pk, "kind": adapted.kind, "title": adapted.title, "term": adapted.term_id or "",
        "review_interval_months": adapted.review_interval_months, "based_on": bloc_model.regulation_id,
        "versions-TOTAL_FORMS": 1, "versions-INITIAL_FORMS": 1, "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 1000, "versions-0-id": adapted.current_version_id,
        "versions-0-regulation": adapted.pk,
    }  # fmt: skip
    assert admin_client.post(url, form).status_code == 302
    assert shown(cast, adapted) == (66, 66, 66) and expected(adapted) == 66


def test_the_migration_computes_the_figure_of_regulations_already_linked(cast, adapted):
    Regulation.objects.filter(pk=adapted.pk).update(conformance=None)
    migration = importlib.import_module("regulations.migrations.0014_regulation_conformance")
    migration.store_figures(apps, None)
    assert shown(cast, adapted) == (100, 100, 100)


def grow(cast, model, count: int) -> None:
    """`count` more grassroots cells under A, each with a QCLV adapting the model, every other one being amended."""
    admin = factories.UserFactory(is_superuser=True)
    for number in range(count):
        cell = factories.organization(OrganizationKind.GRASSROOTS_CELL, parent=cast.a)
        articles = [A["scope"], A["btv"]] if number % 3 else [A["scope"]]
        version = issue(articles, number=f"{number + 1:02d}-QC/CB", date=(1, 10, 2025), organization=cell)
        regulation_services.regulation_link_model(regulation=version.regulation, model=model.regulation, user=None)
        if number % 2:
            review_services.amendment_start(regulation=version.regulation, user=admin, reason="Rà soát định kỳ")


def requests(cast) -> dict:
    """What a superior reads of A's subtree, each with the queries it ran (a streamed file read to its end)."""
    client = APIClient()
    client.force_login(cast.superior_btv)
    reads = {
        "page": lambda: client.get(reverse("oversight:dashboard", args=[cast.a.pk])).content,
        "page, after a change": lambda: (
            quyche_counts.changed("regulations"),
            client.get(reverse("oversight:dashboard", args=[cast.a.pk])).content,
        ),
        "csv": lambda: b"".join(client.get(reverse("oversight:export", args=[cast.a.pk, "csv"])).streaming_content),
        "csv, after a change": lambda: (
            quyche_counts.changed("amendments"),
            b"".join(client.get(reverse("oversight:export", args=[cast.a.pk, "csv"])).streaming_content),
        ),
        "xlsx": lambda: client.get(reverse("oversight:export", args=[cast.a.pk, "xlsx"])).content,
        "api": lambda: client.get(f"/api/organizations/{cast.a.pk}/oversight/").content,
    }
    counts = {}
    with time_machine.travel(NOW, tick=False):
        for name, read in reads.items():
            read()  # the session and the caches settle
            with CaptureQueriesContext(connection) as context:
                read()
            counts[name] = len(context.captured_queries)
    return counts


def test_the_page_the_exports_and_the_api_run_as_many_queries_for_5_or_25_more_organizations(cast, model, adapted):
    grow(cast, model, 5)
    assert requests(cast) == QUERIES
    grow(cast, model, 20)
    assert requests(cast) == QUERIES


# The session, the user, A, then: the page and the exports are kept until something they count changes, when
# the page asks for the rows, the summary (which counts them) and the rows' findings, and an export for the
# rows and the subtree's findings; the API: the rows, their count and their findings. The user's seats and
# the header's counts are kept too.
QUERIES = {"page": 3, "page, after a change": 6, "csv": 3, "csv, after a change": 5, "xlsx": 3, "api": 6}


@pytest.fixture
def every_column(cast, model, adapted, django_capture_on_commit_callbacks):
    """Rows that fill every column: Sở Tư pháp adapting the model, amended, inspected with a finding overdue,
    citing a document since repealed; a grassroots cell with a QCLV amended once; its cell with nothing."""
    admin = factories.UserFactory(is_superuser=True)
    with time_machine.travel("2026-03-01 10:00 +07:00", tick=False), django_capture_on_commit_callbacks(execute=True):
        issue([A["scope"], A["btv"], A["secretary"]], number="10-QC/TU", date=(1, 2, 2026), regulation=model.regulation)
        cell = factories.organization(OrganizationKind.GRASSROOTS_CELL, parent=cast.a, name="Chi bộ Báo Cần Thơ")
        rules = issue([A["scope"]], number="02-QC/CB", date=(1, 2, 2026), organization=cell)
        amended = review_services.amendment_start(regulation=rules.regulation, user=admin, reason="Rà soát")
        Amendment.objects.filter(pk=amended.pk).update(
            status=AmendmentStatus.ISSUED, closed_at=datetime.datetime.fromisoformat("2026-02-20 23:30 +07:00")
        )
        review_services.amendment_start(regulation=adapted, user=admin, reason="Rà soát định kỳ")
        inspection = inspection_services.inspection_create(
            inspecting=cast.a, inspected=cast.a_child, user=admin, kind=InspectionKind.INSPECTION,
            date=datetime.date(2026, 2, 10), team="Ủy ban Kiểm tra Đảng ủy Khối", scope="Thực hiện quy chế làm việc",
        )  # fmt: skip
        inspection_services.finding_add(
            inspection=inspection, user=admin, kind=FindingKind.LIMITATION, description="Chưa họp định kỳ",
            remediation="Họp đủ kỳ", deadline=datetime.date(2026, 3, 20),
        )  # fmt: skip
        document = regulation_services.superior_document_create(
            user=admin, number="232-QĐ/TW", issued=datetime.date(2025, 1, 20), issuer="Ban Chấp hành Trung ương",
            title="Quy định thi hành Điều lệ Đảng",
        )  # fmt: skip
        regulation_services.superior_document_end(user=admin, document=document, on=datetime.date(2026, 2, 25))


def test_the_csv_is_streamed_and_holds_every_column_of_every_row(login, cast, every_column):
    client = login(cast.superior_btv)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("oversight:export", args=[cast.a.pk, "csv"]))
        assert response.streaming
        content = b"".join(response.streaming_content).decode("utf-8")
        workbook = client.get(reverse("oversight:export", args=[cast.a.pk, "xlsx"])).content
    # As the file was before it was streamed, byte for byte.
    assert content == "\ufeff" + "\r\n".join([
        "Tổ chức,Loại,Trực thuộc,Quy chế làm việc hiện hành,\"Số, ký hiệu\",Ngày ban hành,Quy chế làm việc của UBKT,"
        "Sửa đổi gần nhất,Hạn rà soát,Số ngày quá hạn,Đang sửa đổi ở bước,Ý kiến chưa trả lời,"
        "Mức phù hợp quy chế mẫu (%),Kết luận kiểm tra chưa khắc phục,Cần rà soát do căn cứ thay đổi",
        "Đảng bộ Sở Tư pháp,Đảng bộ cơ sở,Đảng ủy Khối Cơ quan thử nghiệm,Có,01-QC/ĐU,15/09/2025,Chưa có,,15/03/2026,"
        "17,Văn phòng soạn thảo dự thảo,0,66,1,Có",
        "Chi bộ Văn phòng Sở,Chi bộ trực thuộc,Đảng bộ Sở Tư pháp,Chưa có,,,,,,,,0,,0,",
        "Chi bộ Báo Cần Thơ,Chi bộ cơ sở,Đảng ủy Khối Cơ quan thử nghiệm,Có,02-QC/CB,01/02/2026,,20/02/2026,"
        "01/08/2026,,,0,,0,Có",
        "",
    ])  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    cells = [
        ["" if value is None else f"{value:%d/%m/%Y}" if isinstance(value, datetime.datetime) else str(value)
         for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]  # fmt: skip
    assert cells == list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
