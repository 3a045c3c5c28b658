"""Demo regulations for the Cần Thơ hierarchy that demo.organizations builds.

Each text in texts/ goes through the importer, as a user's upload would. The Khối's working
regulation comes in two versions (01-QC/ĐUK of 15/9/2025, replaced by 07-QC/ĐUK of 20/3/2026:
one article inserted, the meeting article rewritten to absorb the one on meeting documents) so
the comparison and the article history have something to show. The Khối also issues a model
(quy chế mẫu) for its đảng bộ cơ sở, with open content for each to fill in; the Sở Tư pháp's
QCLV is based on it, so its conformance report has something to show. The superior documents the
texts cite are in the register, so each regulation's lược đồ shows its bases. A text whose number its
issuer already has is skipped, so a second run changes nothing.
"""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from organizations.models import Organization
from regulations import conformance, parsing, services
from regulations.models import Provision, Regulation, SuperiorDocument, Version, normalize_number

User = get_user_model()
TEXTS = Path(__file__).resolve().parent / "texts"
# What the model leaves each đảng bộ cơ sở to write: (article, clause or None for the whole article).
MODEL_OPEN_CONTENT = [("1", "1"), ("3", "2"), ("4", "3"), ("10", None), ("11", "2")]


def demo_organizations() -> dict[str, Organization]:
    city = Organization.objects.get(parent=None, code="TUCT")
    bloc = Organization.objects.get(parent=city, code="KDCD")
    return {
        "bloc": bloc,
        "justice": Organization.objects.get(parent=bloc, code="DBSTP"),
        "council_delegation": Organization.objects.get(parent=city, code="DDHDND"),
        "government_affairs": Organization.objects.get(parent=city, code="BCSUBND"),
    }


# The superior documents the demo's texts cite, in the register (văn bản cấp trên), so that each text's
# lược đồ shows its bases with their status: (number, date, issuer, title).
REGISTER = [
    ("294-QĐ/TW", (2025, 5, 26), "Ban Chấp hành Trung ương", "Quy định về thi hành Điều lệ Đảng"),
    ("296-QĐ/TW", (2025, 5, 30), "Ban Chấp hành Trung ương",
     "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng"),
    ("57-NQ/TW", (2024, 12, 22), "Bộ Chính trị",
     "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
]  # fmt: skip


def seed_register() -> None:
    """The register's documents the texts cite, each added once (the service links the texts citing it)."""
    for number, (year, month, day), issuer, title in REGISTER:
        if not SuperiorDocument.objects.filter(number=number).exists():
            services.superior_document_create(
                user=None, number=number, issued=datetime.date(year, month, day), issuer=issuer, title=title
            )


@transaction.atomic
def seed_regulations() -> dict:
    orgs = demo_organizations()
    created = {"regulations_created": 0, "versions_created": 0}
    seed_register()

    def load(filename, *, organization, replaces=None, replace=None) -> Regulation:
        """Import the text unless its issuer already has a version with its number; return its regulation."""
        text = (TEXTS / filename).read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            text = text.replace(old, new)
        number = normalize_number(parsing.parse_regulation(text).number)
        existing = Version.objects.filter(issuing_organization=organization, number=number).first()
        if existing is not None:
            return existing.regulation
        if replaces is None:
            result = services.regulation_import(text=text, user=None, organization=organization)
            created["regulations_created"] += 1
        else:
            result = services.regulation_import(text=text, user=None, regulation=replaces)
        created["versions_created"] += 1
        return result.version.regulation

    bloc_rules = load("qclv-khoi-2025.txt", organization=orgs["bloc"])
    load("qclv-khoi-2026.txt", organization=orgs["bloc"], replaces=bloc_rules)
    load("qclv-ubkt-khoi-2025.txt", organization=orgs["bloc"])
    model = load("quy-che-mau-dang-bo-co-so.txt", organization=orgs["bloc"])
    mark_open_content(model, User.objects.get(username="vanphong.khoi"))
    justice_rules = load("qclv-stp-2025.txt", organization=orgs["justice"])
    services.regulation_link_model(regulation=justice_rules, model=model, user=None)
    # The same model of text for the Sở Tài chính, never reviewed since: overdue in the demo.
    finance = Organization.objects.get(parent=orgs["bloc"], code="DBSTC")
    renamed = {"Sở Tư pháp": "Sở Tài chính", "SỞ TƯ PHÁP": "SỞ TÀI CHÍNH"}
    load("qclv-stp-2025.txt", organization=finance, replace=renamed)
    coordination = load("quy-che-phoi-hop-hdnd-ubnd.txt", organization=orgs["council_delegation"])
    coordination.parties.add(orgs["council_delegation"], orgs["government_affairs"])
    return created


def mark_open_content(model: Regulation, office) -> None:
    """The Khối's office marks what the model leaves open, as it would on the model's page."""
    for article_label, clause_label in MODEL_OPEN_CONTENT:
        article = Provision.objects.get(version_id=model.current_version_id, kind="article", label=article_label)
        node = Provision.objects.get(parent=article, label=clause_label) if clause_label else article
        conformance.open_content_set(provision=node, user=office, value=True)
