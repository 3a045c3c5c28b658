"""The reminders: which regulations, terms, consultations and amendments need chasing today, and whom.

Each rule returns `Due` items: (recipient, reason, subject, period) plus the words of the notice.
The period makes a reminder "the same one": a regulation's review cycle, a term, a request's
deadline, a stay at a stage. `notifications.create` stores each once, whatever runs twice.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from organizations.access import SECRETARY_ROLES
from organizations.models import ALLOWED_BODIES, BodyKind, Organization, Position, Term
from regulations.models import Regulation, RegulationKind, SuperiorDocumentStatus, Version, VersionStatus

from .inspections import findings_overdue
from .models import (
    Amendment,
    AmendmentStatus,
    ConsultationRequest,
    NotificationReason,
    ReminderSettings,
    StageKind,
    WorkingGroupMember,
)

R = NotificationReason


@dataclass(frozen=True)
class Due:
    recipient_id: int
    reason: str
    subject: str
    period: str
    title: str
    body: str
    url: str


class People:
    """Who does the paperwork of each organization, and who sits in which body, loaded once per scan."""

    def __init__(self, today: datetime.date):
        self.by_body = defaultdict(set)  # (organization_id, body_kind) -> user ids
        self.secretaries = defaultdict(set)
        for org_id, body_kind, role, user_id in Position.objects.active(today).values_list(
            "body__organization_id", "body__kind", "role", "user_id"
        ):
            self.by_body[(org_id, body_kind)].add(user_id)
            if body_kind == BodyKind.EXECUTIVE and role in SECRETARY_ROLES:
                self.secretaries[org_id].add(user_id)

    def office(self, organization) -> set[int]:
        """The office staff; where there are none (a chi bộ has no office), the secretaries."""
        return self.by_body.get((organization.pk, BodyKind.OFFICE)) or self.secretaries.get(organization.pk, set())

    def body(self, organization_id: int, body_kind: str) -> set[int]:
        return self.by_body.get((organization_id, body_kind), set())


def _settings() -> dict[int, ReminderSettings]:
    return {s.organization_id: s for s in ReminderSettings.objects.all()}


DEFAULTS = ReminderSettings()


def review_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A regulation in force is reviewed every `review_interval_months` from its last review or amendment;
    one with an amendment under way is being reviewed."""
    due_items = []
    regulations = (
        Regulation.objects.filter(current_version__status=VersionStatus.IN_FORCE, next_review_on__isnull=False)
        .exclude(amendments__status__in=(AmendmentStatus.IN_PROGRESS, AmendmentStatus.ADOPTED))
        .select_related("organization", "current_version")
    )
    parents = _ancestors_with_office(people, {r.organization for r in regulations})
    for regulation in regulations:
        due = regulation.next_review_on
        limits = thresholds.get(regulation.organization_id, DEFAULTS)
        if today < due - datetime.timedelta(days=limits.review_notice_days):
            continue
        url = reverse("regulations:detail", args=[regulation.pk])
        subject, period = f"regulation:{regulation.pk}", due.isoformat()
        if today < due:
            reason, title = R.REVIEW_DUE, f"Đến ngày {due:%d/%m/%Y} cần rà soát: {regulation.title}"
        else:
            reason, title = R.REVIEW_OVERDUE, f"Quá hạn rà soát từ {due:%d/%m/%Y}: {regulation.title}"
        since = regulation.last_reviewed_on or regulation.current_version.in_force_from
        body = (
            f"{regulation.title} ({regulation.current_version.number}) được rà soát định kỳ "
            f"{regulation.review_interval_months} tháng một lần; lần gần nhất từ {since:%d/%m/%Y}."
        )
        for user_id in people.office(regulation.organization):
            due_items.append(Due(user_id, reason, subject, period, title, body, url))
        if reason == R.REVIEW_OVERDUE and today >= due + datetime.timedelta(days=limits.review_escalation_days):
            superior = parents.get(regulation.organization_id)
            if superior is not None:
                title = f"{regulation.organization.name} quá hạn rà soát quy chế từ {due:%d/%m/%Y}"
                for user_id in people.office(superior):
                    due_items.append(Due(user_id, R.REVIEW_ESCALATED, subject, period, title, body, url))
    return due_items


def _ancestors_with_office(people: People, organizations) -> dict[int, Organization]:
    """For each organization, the nearest organization above it that has someone to tell."""
    paths = {path for org in organizations for path in org.ancestor_paths()}
    by_path = {org.path: org for org in Organization.objects.filter(path__in=paths)}
    result = {}
    for org in organizations:
        for path in reversed(org.ancestor_paths()):
            ancestor = by_path.get(path)
            if ancestor is not None and people.office(ancestor):
                result[org.pk] = ancestor
                break
    return result


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


def consultation_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """Those who have not answered, some days and one day before; the working group when it expires."""
    due_items = []
    requests = ConsultationRequest.objects.filter(
        answered_at__isnull=True,
        amendment__status=AmendmentStatus.IN_PROGRESS,
        amendment__stage__kind=StageKind.CONSULTATION,
    ).select_related("amendment__regulation__organization", "organization", "user")
    # The working groups of every open amendment, in one query: they hear when a consultation expires.
    groups = defaultdict(set)
    for amendment_id, user_id in WorkingGroupMember.objects.filter(
        amendment__status=AmendmentStatus.IN_PROGRESS
    ).values_list("amendment_id", "user_id"):
        groups[amendment_id].add(user_id)
    for request in requests:
        amendment = request.amendment
        limits = thresholds.get(amendment.regulation.organization_id, DEFAULTS)
        url = reverse("reviews:draft", args=[amendment.pk])
        subject = f"request:{request.pk}"
        days_left = (request.due - today).days
        recipients = (
            {request.user_id}
            if request.user_id
            else people.office(request.organization) | (people.secretaries.get(request.organization_id, set()))
        )
        body = f"Dự thảo: {amendment.title}. Hạn trả lời: {request.due:%d/%m/%Y}."
        if days_left == 1:
            for user_id in recipients:
                due_items.append(Due(user_id, R.CONSULTATION_TOMORROW, subject, request.due.isoformat(),
                                     f"Ngày mai hết hạn góp ý: {amendment.title}", body, url))  # fmt: skip
        elif 1 < days_left <= limits.consultation_notice_days:
            for user_id in recipients:
                due_items.append(Due(user_id, R.CONSULTATION_DUE, subject, request.due.isoformat(),
                                     f"Còn {days_left} ngày để góp ý: {amendment.title}", body, url))  # fmt: skip
        elif days_left < 0:
            for user_id in groups[amendment.pk] | people.office(amendment.regulation.organization):
                due_items.append(Due(user_id, R.CONSULTATION_EXPIRED, f"amendment:{amendment.pk}",
                                     request.due.isoformat(),
                                     f"Hết hạn lấy ý kiến, {request.recipient_name} chưa trả lời", body,
                                     reverse("reviews:consultation", args=[amendment.pk])))  # fmt: skip
    return due_items


def stalled_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """An amendment waiting at a stage too long reminds those who act there."""
    due_items = []
    amendments = (
        Amendment.objects.filter(status=AmendmentStatus.IN_PROGRESS)
        .prefetch_related("working_group")
        .select_related("stage", "regulation__organization")
    )
    for amendment in amendments:
        organization = amendment.regulation.organization
        limits = thresholds.get(organization.pk, DEFAULTS)
        waited = (today - amendment.stage_entered_at.date()).days
        if waited < limits.stalled_stage_days:
            continue
        stage = amendment.stage
        if stage.by_working_group:
            recipients = {seat.user_id for seat in amendment.working_group.all()}
        else:
            recipients = people.body(organization.pk, stage.body_kind)
        title = f"Hồ sơ chờ ở bước “{stage.name}” đã {waited} ngày: {amendment.title}"
        body = f"Hồ sơ vào bước này từ {amendment.stage_entered_at:%d/%m/%Y}."
        period = f"{stage.pk}:{amendment.stage_entered_at:%Y-%m-%d}"
        url = reverse("reviews:detail", args=[amendment.pk])
        for user_id in recipients:
            due_items.append(Due(user_id, R.STAGE_STALLED, f"amendment:{amendment.pk}", period, title, body, url))
    return due_items


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


def finding_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A finding past its deadline and not closed: the inspected office must remedy (or has, and waits for
    the hậu kiểm), the inspecting office must follow it up. Once per deadline; a reopening may set a new one."""
    due_items = []
    for finding in findings_overdue(today):
        inspection = finding.inspection
        subject, period = f"finding:{finding.pk}", finding.deadline.isoformat()
        url = reverse("reviews:inspection", args=[inspection.pk]) + f"#han-che-{finding.pk}"
        body = (
            f"{inspection.get_kind_display()} của {inspection.inspecting.name} ngày {inspection.date:%d/%m/%Y}, "
            f"{finding.get_kind_display().lower()}: {finding.description}\nYêu cầu khắc phục: {finding.remediation}\n"
            f"Trạng thái: {finding.get_status_display()}."
        )
        title = f"Quá hạn khắc phục từ {finding.deadline:%d/%m/%Y}: {finding.description[:120]}"
        for user_id in people.office(inspection.inspected):
            due_items.append(Due(user_id, R.FINDING_OVERDUE, subject, period, title, body, url))
        title = f"{inspection.inspected.name} quá hạn khắc phục từ {finding.deadline:%d/%m/%Y}"
        for user_id in people.office(inspection.inspecting):
            due_items.append(Due(user_id, R.FINDING_OVERDUE, subject, period, title, body, url))
    return due_items


RULES = (
    review_reminders,
    term_reminders,
    consultation_reminders,
    stalled_reminders,
    basis_reminders,
    finding_reminders,
)


def due_today(today: datetime.date) -> list[Due]:
    people, thresholds = People(today), _settings()
    return [item for rule in RULES for item in rule(today, people, thresholds)]
