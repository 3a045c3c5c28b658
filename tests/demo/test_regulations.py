import pytest
from django.apps import apps
from django.core.management import call_command

from demo.organizations import seed_organizations
from demo.regulations import TEXTS, seed_regulations
from regulations import parsing, services
from regulations.conformance import conformance_report
from regulations.models import Regulation, RegulationKind, Version, VersionStatus
from regulations.selectors import change_summary, compare_versions


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    ("filename", "number", "counts"),
    [
        ("qclv-khoi-2025.txt", "01-QC/ĐUK", {"chapters": 5, "articles": 24, "clauses": 86, "points": 28}),
        ("qclv-khoi-2026.txt", "07-QC/ĐUK", {"chapters": 5, "articles": 24, "clauses": 88, "points": 35}),
        ("qclv-ubkt-khoi-2025.txt", "02-QC/ĐUK", {"chapters": 4, "articles": 9, "clauses": 26, "points": 11}),
        ("qclv-stp-2025.txt", "01-QC/ĐU", {"chapters": 5, "articles": 12, "clauses": 32, "points": 3}),
        ("quy-che-phoi-hop-hdnd-ubnd.txt", "01-QC/ĐĐ", {"chapters": 4, "articles": 7, "clauses": 16, "points": 0}),
        ("quy-che-mau-dang-bo-co-so.txt", "04-QC/ĐUK", {"chapters": 5, "articles": 12, "clauses": 32, "points": 0}),
    ],
)
def test_it_ships_texts_the_importer_reads_without_warnings(filename, number, counts):
    document = parsing.parse_regulation((TEXTS / filename).read_text(encoding="utf-8"))
    assert document.warnings == []
    assert document.number == number
    assert document.issued is not None
    assert document.signer_name
    assert document.counts() == counts


def test_it_seeds_the_regulations_of_the_demo_hierarchy(db):
    seed_organizations()
    assert seed_regulations() == {"regulations_created": 6, "versions_created": 7}
    numbers = {
        (version.issuing_organization.code, version.kind, version.number)
        for version in Version.objects.select_related("issuing_organization")
    }
    assert numbers == {
        ("KDCD", RegulationKind.COMMITTEE_RULES, "01-QC/ĐUK"),
        ("KDCD", RegulationKind.COMMITTEE_RULES, "07-QC/ĐUK"),
        ("KDCD", RegulationKind.INSPECTION_RULES, "02-QC/ĐUK"),
        ("KDCD", RegulationKind.MODEL, "04-QC/ĐUK"),
        ("DBSTP", RegulationKind.COMMITTEE_RULES, "01-QC/ĐU"),
        ("DBSTC", RegulationKind.COMMITTEE_RULES, "01-QC/ĐU"),
        ("DDHDND", RegulationKind.COORDINATION, "01-QC/ĐĐ"),
    }
    for version in Version.objects.select_related("issuing_organization"):  # each text filed under its issuer
        document = parsing.ParsedDocument(issuing_body=version.issuing_body)
        assert services.letterhead_warning(document, version.issuing_organization) == "", version.number
    coordination = Regulation.objects.get(kind=RegulationKind.COORDINATION)
    assert set(coordination.parties.values_list("code", flat=True)) == {"DDHDND", "BCSUBND"}

    bloc_rules = Version.objects.get(number="01-QC/ĐUK").regulation
    old, new = bloc_rules.versions.order_by("issued")
    assert (old.number, old.status) == ("01-QC/ĐUK", VersionStatus.REPLACED)
    assert (new.number, new.status) == ("07-QC/ĐUK", VersionStatus.IN_FORCE)
    assert new.replaces == old
    assert bloc_rules.current_version == new

    changes = compare_versions(old, new)
    assert change_summary(changes) == {"modified": 1, "added": 1, "removed": 1, "renumbered": 10, "unchanged": 12}
    moved = {(change.change, change.old_label, change.new_label) for change in changes if change.change != "unchanged"}
    assert ("added", None, "3") in moved  # Giải thích từ ngữ
    assert ("modified", "13", "14") in moved  # the meeting article, now with the meeting documents
    assert ("removed", "14", None) in moved  # merged into the meeting article
    assert ("renumbered", "3", "4") in moved


def test_it_changes_nothing_when_run_again(db):
    call_command("seed_demo")
    before = row_counts()
    call_command("seed_demo")
    assert row_counts() == before


def test_it_bases_the_so_tu_phaps_regulation_on_the_khois_model_with_a_report_to_read(db):
    seed_organizations()
    seed_regulations()
    justice = Regulation.objects.get(organization__code="DBSTP", kind=RegulationKind.COMMITTEE_RULES)
    assert justice.based_on.kind == RegulationKind.MODEL
    assert justice.based_on.organization.code == "KDCD"
    report = conformance_report(justice)
    # The Sở filled in what the model leaves open, and wrote three articles its own way.
    assert [change.old_label for change in report.filled_in] == ["1", "4", "10", "11"]
    assert [change.old_label for change in report.changed] == ["2", "3", "7"]
    assert report.figure == 75
