"""Lược đồ of the demo's regulations: what each is based on, what amended it, what is based on it."""

import datetime

from django.core.management import call_command
from django.urls import reverse

from organizations.models import User
from regulations import selectors, services
from regulations.models import Regulation, RegulationKind, Version
from regulations.relationships import relationships
from reviews.models import Amendment


def lineage(regulation, user):
    versions = selectors.versions_of(regulation)
    return relationships(regulation, user=user, versions=versions, amendments=selectors.amendments_of(regulation))


def bases(links) -> list:
    return [[(document.number, document.status) for document in basis.documents] for basis in links.bases]


def steps(links) -> list:
    return [
        (step.version.number, step.version.status, step.replaced.number if step.replaced else None,
         step.amendment.draft.number if step.amendment else None)
        for step in links.steps
    ]  # fmt: skip


def test_the_demos_regulations_show_what_they_are_based_on_amended_by_and_adapted_into(db, client):
    call_command("seed_demo")
    btv = User.objects.get(username="btv.khoi")
    bloc_rules = Version.objects.get(number="07-QC/ĐUK").regulation
    links = lineage(bloc_rules, btv)
    # Điều lệ Đảng; 294-QĐ/TW; 296-QĐ/TW; 57-NQ/TW; the city's QCLV; the congress's resolution.
    assert bases(links) == [
        [],
        [("294-QĐ/TW", "in_force")],
        [("296-QĐ/TW", "in_force")],
        [("57-NQ/TW", "in_force")],
        [],
        [],
    ]
    assert links.bases[0].text == "Căn cứ Điều lệ Đảng Cộng sản Việt Nam"
    assert steps(links) == [("01-QC/ĐUK", "replaced", None, None), ("07-QC/ĐUK", "in_force", "01-QC/ĐUK", None)]
    assert links.model is None and links.adaptations == [] and links.repealed == []

    inspection_rules = Regulation.objects.get(
        organization=bloc_rules.organization, kind=RegulationKind.INSPECTION_RULES
    )
    assert steps(lineage(inspection_rules, btv)) == [
        ("02-QC/ĐUK", "replaced", None, None),
        ("08-QC/ĐUK", "in_force", "02-QC/ĐUK", "08-QC/ĐUK"),  # issued by the demo's dossier, numbered by the register
    ]

    model = Regulation.objects.get(kind=RegulationKind.MODEL)
    justice = Regulation.objects.get(organization__code="DBSTP")
    finance = Regulation.objects.get(organization__code="DBSTC")
    services.regulation_link_model(regulation=finance, model=model, user=None)
    assert [r.organization.code for r in lineage(model, btv).adaptations] == ["DBSTC", "DBSTP"]
    # The Sở Tư pháp's secretary reads the model written for them, and of those adapted from it only their own.
    justice_secretary = User.objects.get(username="bithu.dbstp")
    assert [r.organization.code for r in lineage(model, justice_secretary).adaptations] == ["DBSTP"]
    justice_links = lineage(justice, justice_secretary)
    assert (justice_links.model, justice_links.model.current_version.status) == (model, "in_force")

    # A basis ended in the register shows as ended on each text citing it.
    ended = services.superior_document_end(
        user=None, document=links.bases[1].documents[0], on=datetime.date(2026, 6, 1)
    )
    page = _page(client, btv, bloc_rules)
    assert "Lược đồ" in page
    assert f'<a href="/van-ban-cap-tren/#vb-{ended.pk}">294-QĐ/TW</a>: <span class="status status-repealed">' in page
    issued = Amendment.objects.get(draft__number="08-QC/ĐUK")
    assert reverse("reviews:detail", args=[issued.pk]) in _page(client, btv, inspection_rules)
    model_page = _page(client, justice_secretary, model)
    assert reverse("regulations:detail", args=[justice.pk]) in model_page
    assert reverse("regulations:detail", args=[finance.pk]) not in model_page
    outsider = User.objects.get(username="bithu.ninhkieu")
    client.force_login(outsider)
    assert client.get(reverse("regulations:detail", args=[model.pk])).status_code == 404


def _page(client, user, regulation) -> str:
    client.force_login(user)
    response = client.get(reverse("regulations:detail", args=[regulation.pk]))
    assert response.status_code == 200
    return response.content.decode()
