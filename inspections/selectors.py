"""Reads of inspections and findings: for a user, for the dashboard, for the reminders."""

import datetime

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from organizations.models import Organization
from regulations.models import Provision, ProvisionKind, Regulation

from . import access
from .models import Finding, Inspection


def get_inspection_for_user(user, pk) -> Inspection:
    inspection = Inspection.objects.select_related("inspecting", "inspected").filter(pk=pk).first()
    if inspection is None or not access.can_view_inspection(user, inspection):
        raise Http404("Không tìm thấy cuộc kiểm tra, giám sát.")
    return inspection


def get_finding_for_user(user, pk) -> Finding:
    finding = Finding.objects.select_related("inspection__inspecting", "inspection__inspected").filter(pk=pk).first()
    if finding is None or not access.can_view_inspection(user, finding.inspection):
        raise Http404("Không tìm thấy hạn chế, khuyết điểm.")
    return finding


def findings_overdue(today: datetime.date):
    """Findings past their deadline and not closed, with what a reminder names."""
    return Finding.objects.overdue(today).select_related("inspection__inspecting", "inspection__inspected")


def open_findings_for(organizations):
    """The findings not yet closed of the given inspected organizations (a queryset or a list of them or of ids)."""
    return (
        Finding.objects.unresolved()
        .filter(inspection__inspected__in=organizations)
        .select_related("inspection__inspecting", "inspection__inspected", "regulation")
        .order_by("deadline", "pk")
    )


def finding_counts(organization_ids, today: datetime.date | None = None) -> dict[int, tuple[int, int]]:
    """(not closed, overdue) findings of each inspected organization, in one query; (0, 0) for those with none."""
    ids = list(organization_ids)
    counts = dict.fromkeys(ids, (0, 0))
    counts.update(_finding_counts(Q(inspection__inspected_id__in=ids), today))
    return counts


def finding_counts_below(organization: Organization, today: datetime.date | None = None) -> dict[int, tuple[int, int]]:
    """`finding_counts` of the organizations under `organization` that have findings not closed, in one query."""
    return _finding_counts(Q(inspection__inspected__in=Organization.objects.below(organization)), today)


def _finding_counts(condition: Q, today: datetime.date | None) -> dict[int, tuple[int, int]]:
    today = today or timezone.localdate()
    rows = (
        Finding.objects.unresolved()
        .filter(condition)
        .values("inspection__inspected_id")
        .annotate(unresolved=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
        .values_list("inspection__inspected_id", "unresolved", "overdue")
    )
    return {org_id: (unresolved, overdue) for org_id, unresolved, overdue in rows}


def inspections_on_page(user, organization: Organization, today: datetime.date) -> tuple[list, list]:
    """The inspections made by the organization and those of it, each only if the user may see it."""
    inspections = Inspection.objects.for_list(today).filter(Q(inspecting=organization) | Q(inspected=organization))
    visible = [inspection for inspection in inspections if access.can_view_inspection(user, inspection)]
    made = [inspection for inspection in visible if inspection.inspecting_id == organization.pk]
    received = [inspection for inspection in visible if inspection.inspected_id == organization.pk]
    return made, received


def findings_of(inspection: Inspection) -> list[Finding]:
    """The findings with their history, for the inspection page (a fixed number of queries)."""
    findings = list(inspection.findings.select_related("regulation").prefetch_related("events__actor").order_by("pk"))
    for finding in findings:
        finding.inspection = inspection
    return findings


def articles_to_cite(organization: Organization) -> list[tuple[Regulation, list[Provision]]]:
    """The organization's regulations that have a text, each with the articles of its current version."""
    regulations = list(
        Regulation.objects.filter(organization=organization, current_version__isnull=False).order_by("kind", "title")
    )
    articles = {}
    for article in (
        Provision.objects.filter(version__in=[r.current_version_id for r in regulations], kind=ProvisionKind.ARTICLE)
        .only("version_id", "key", "label", "heading")
        .order_by("position")
    ):
        articles.setdefault(article.version_id, []).append(article)
    return [(regulation, articles.get(regulation.current_version_id, [])) for regulation in regulations]
