"""Reminders about regulations: a new term's working regulation, a legal basis that ended."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch

from notifications.models import NotificationReason as R
from notifications.reminders import DEFAULTS, Due, People, path_of, rule
from organizations.models import ALLOWED_BODIES, BodyKind, Term

from .models import RegulationKind, SuperiorDocument, SuperiorDocumentStatus, Version, VersionStatus


@rule
def term_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """After a term starts, the committee must issue its working regulation within a set number of days."""
    due_items = []
    rules_list = path_of("regulations:list")
    kinds_with_rules = [kind for kind, bodies in ALLOWED_BODIES.items() if BodyKind.EXECUTIVE in bodies]
    # Only the terms near or past their deadline, whatever an office set (the reminder starts at deadline - notice).
    earliest_notice = min(
        limits.term_rules_days - limits.review_notice_days for limits in [DEFAULTS, *thresholds.values()]
    )
    terms = (
        Term.objects.current(today)
        .filter(organization__kind__in=kinds_with_rules, start__lte=today - datetime.timedelta(days=earliest_notice))
        .exclude(
            Exists(
                Version.objects.filter(
                    issuing_organization=OuterRef("organization_id"),
                    term=OuterRef("pk"),
                    kind=RegulationKind.COMMITTEE_RULES,
                    status__in=(VersionStatus.IN_FORCE, VersionStatus.REPLACED),
                )  # fmt: skip
            )
        )
        .values_list("pk", "name", "start", "organization_id", "organization__name")
    )
    for term_id, name, start, organization_id, organization_name in terms.iterator(chunk_size=2000):
        limits = thresholds.get(organization_id, DEFAULTS)
        deadline = start + datetime.timedelta(days=limits.term_rules_days)
        if today < deadline - datetime.timedelta(days=limits.review_notice_days):
            continue
        reason = R.TERM_RULES_DUE if today < deadline else R.TERM_RULES_OVERDUE
        title = (
            f"Đến ngày {deadline:%d/%m/%Y} cần ban hành quy chế làm việc {name}"
            if reason == R.TERM_RULES_DUE
            else f"Chưa ban hành quy chế làm việc {name} (hạn {deadline:%d/%m/%Y})"
        )
        body = f"{organization_name} bắt đầu {name} từ {start:%d/%m/%Y}."
        url = rules_list(organization_id)
        for user_id in people.office(organization_id):
            due_items.append(Due(user_id, reason, f"term:{term_id}", "", title, body, url, organization_id))
    return due_items


@rule
def basis_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A superior document recorded as replaced or repealed: regulations in force that cite it need review."""
    due_items = []
    version_path = path_of("regulations:version")
    versions = (
        Version.objects.filter(status=VersionStatus.IN_FORCE)
        # Any cited document that ended, whatever else the text cites.
        .filter(cited_documents__in=SuperiorDocument.objects.exclude(status=SuperiorDocumentStatus.IN_FORCE))
        .select_related("regulation")
        .only("number", "regulation__title", "regulation__organization_id")
        .prefetch_related(
            Prefetch(
                "cited_documents",
                SuperiorDocument.objects.exclude(status=SuperiorDocumentStatus.IN_FORCE).select_related(
                    "replaced_by"
                ),  # fmt: skip
            )
        )
        .distinct()
    )
    for version in versions:
        for document in version.cited_documents.all():
            ended = "được thay thế" if document.status == SuperiorDocumentStatus.REPLACED else "bị bãi bỏ"
            title = f"Căn cứ {document.number} đã {ended}: cần rà soát {version.regulation.title}"
            body = f"{version.regulation.title} ({version.number}) lấy {document} làm căn cứ."
            if document.replaced_by_id:
                body += f" Văn bản thay thế: {document.replaced_by}."
            url = version_path(version.pk)
            for user_id in people.office(version.regulation.organization_id):
                due_items.append(Due(user_id, R.BASIS_REPLACED, f"version:{version.pk}", f"document:{document.pk}",
                                     title, body, url, version.regulation.organization_id))  # fmt: skip
    return due_items
