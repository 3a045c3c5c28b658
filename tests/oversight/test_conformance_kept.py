"""The conformance a superior reads on the dashboard, its exports and the API is the figure kept with
the regulation: it follows every change of either text, as the regulation's own report computes it.

Đảng bộ Sở Tư pháp (under bloc A) adapts the city's model: both have "Phạm vi điều chỉnh" and
"Trách nhiệm, quyền hạn của Ban Thường vụ", word for word (100%).
"""

import csv
import importlib
import io
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from organizations.models import BodyKind, Role
from regulations import conformance, editing
from regulations import services as regulation_services
from regulations.models import Provision, Regulation, RegulationKind
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


def test_a_new_version_of_the_model_is_compared_anew(cast, model, adapted):
    issue([A["scope"], A["btv"], A["secretary"]], number="10-QC/TU", date=(1, 2, 2026), regulation=model.regulation)
    assert shown(cast, adapted) == (66, 66, 66) and expected(adapted) == 66


def test_a_correction_of_the_model_is_compared_anew(cast, offices, model, adapted):
    correct(model, offices[0], "2", "giữa hai kỳ họp", "giữa hai kỳ họp thường lệ")
    assert shown(cast, adapted) == (50, 50, 50) and expected(adapted) == 50


def test_a_correction_of_the_regulation_is_compared_anew(cast, offices, adapted):
    correct(adapted.current_version, offices[1], "2", "giữa hai kỳ họp", "giữa hai kỳ họp thường lệ")
    assert shown(cast, adapted) == (50, 50, 50) and expected(adapted) == 50


def test_content_the_model_marks_open_is_no_longer_a_deviation(cast, offices, model, adapted):
    correct(adapted.current_version, offices[1], "2", "giữa hai kỳ họp", "giữa hai kỳ họp thường lệ")
    conformance.open_content_set(provision=article(model, "2"), user=offices[0], value=True)
    assert shown(cast, adapted) == (100, 100, 100) and expected(adapted) == 100
    conformance.open_content_set(provision=article(model, "2"), user=offices[0], value=False)
    assert shown(cast, adapted) == (50, 50, 50)


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
        "versions-MAX_NUM_FORMS": 1000, "versions-0-id": adapted.current_version_id, "versions-0-regulation": adapted.pk,
    }  # fmt: skip
    assert admin_client.post(url, form).status_code == 302
    assert shown(cast, adapted) == (66, 66, 66) and expected(adapted) == 66


def test_the_migration_computes_the_figure_of_regulations_already_linked(cast, adapted):
    Regulation.objects.filter(pk=adapted.pk).update(conformance=None)
    migration = importlib.import_module("regulations.migrations.0013_regulation_conformance")
    migration.store_figures(apps, None)
    assert shown(cast, adapted) == (100, 100, 100)
