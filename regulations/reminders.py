"""Reminders about regulations: a new term's working regulation, a legal basis that ended."""

import datetime

from django.db.models import Q
from django.urls import reverse

from notifications.models import NotificationReason as R
from notifications.reminders import DEFAULTS, Due, People, rule
from organizations.models import ALLOWED_BODIES, BodyKind, Term

from .models import RegulationKind, SuperiorDocumentStatus, Version, VersionStatus


@rule
def term_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """After a term starts, the committee must issue its working regulation within a set number of days."""
    due_items = []
    kinds_with_rules = [kind for kind, bodies in ALLOWED_BODIES.items() if BodyKind.EXECUTIVE in bodies]
    terms = Term.objects.current(today).filter(organization__kind__in=kinds_with_rules).select_related("organization")
    issued = set(
        Version.objects.filter(
            kind=RegulationKind.COMMITTEE_RULES,
            status__in=(VersionStatus.IN_FORCE, VersionStatus.REPLACED),
        ).values_list("issuing_organization_id", "term_id")
    )
    for term in terms:
        if (term.organization_id, term.pk) in issued:
            continue
        limits = thresholds.get(term.organization_id, DEFAULTS)
        deadline = term.start + datetime.timedelta(days=limits.term_rules_days)
        if today < deadline - datetime.timedelta(days=limits.review_notice_days):
            continue
        reason = R.TERM_RULES_DUE if today < deadline else R.TERM_RULES_OVERDUE
        title = (
            f"Đến ngày {deadline:%d/%m/%Y} cần ban hành quy chế làm việc {term.name}"
            if reason == R.TERM_RULES_DUE
            else f"Chưa ban hành quy chế làm việc {term.name} (hạn {deadline:%d/%m/%Y})"
        )
        body = f"{term.organization.name} bắt đầu {term.name} từ {term.start:%d/%m/%Y}."
        url = reverse("regulations:list", args=[term.organization_id])
        for user_id in people.office(term.organization):
            due_items.append(Due(user_id, reason, f"term:{term.pk}", "", title, body, url))
    return due_items


@rule
def basis_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A superior document recorded as replaced or repealed: regulations in force that cite it need review."""
    due_items = []
    versions = (
        Version.objects.filter(status=VersionStatus.IN_FORCE)
        .filter(~Q(cited_documents__status=SuperiorDocumentStatus.IN_FORCE), cited_documents__isnull=False)
        .select_related("regulation__organization")
        .prefetch_related("cited_documents__replaced_by")
        .distinct()
    )
    for version in versions:
        for document in version.cited_documents.all():
            if document.status == SuperiorDocumentStatus.IN_FORCE:
                continue
            ended = "được thay thế" if document.status == SuperiorDocumentStatus.REPLACED else "bị bãi bỏ"
            title = f"Căn cứ {document.number} đã {ended}: cần rà soát {version.regulation.title}"
            body = f"{version.regulation.title} ({version.number}) lấy {document} làm căn cứ."
            if document.replaced_by_id:
                body += f" Văn bản thay thế: {document.replaced_by}."
            url = reverse("regulations:version", args=[version.pk])
            for user_id in people.office(version.regulation.organization):
                due_items.append(Due(user_id, R.BASIS_REPLACED, f"version:{version.pk}", f"document:{document.pk}",
                                     title, body, url))  # fmt: skip
    return due_items
