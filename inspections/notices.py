"""The inspected organization's office is told, in the step's transaction, when a finding asks it to remedy
something: when it is recorded, and when the remediation is found wanting (perhaps with a new deadline)."""

from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationReason as R
from notifications.reminders import People
from notifications.services import notify_many

from .models import Finding


def _tell_office(finding: Finding, *, reason: str, period: str, title: str, body: str, actor) -> set[int]:
    inspection = finding.inspection
    office = People(timezone.localdate(), organization_ids=[inspection.inspected_id]).office(inspection.inspected_id)
    return notify_many(
        office, reason=reason, subject=f"finding:{finding.pk}", period=period, title=title, body=body,
        url=f"{reverse('inspections:detail', args=[inspection.pk])}#han-che-{finding.pk}", actor=actor,
        organization_id=inspection.inspected_id,
    )  # fmt: skip


def finding_assigned(finding: Finding, *, actor) -> None:
    inspection = finding.inspection
    _tell_office(
        finding, reason=R.FINDING_ASSIGNED, period="recorded",
        title=f"Yêu cầu khắc phục trước ngày {finding.deadline:%d/%m/%Y}: {finding.description[:120]}",
        body=f"{inspection.get_kind_display()} của {inspection.inspecting.name} ngày {inspection.date:%d/%m/%Y}, "
        f"{finding.get_kind_display().lower()}: {finding.description}\nYêu cầu khắc phục: {finding.remediation}\n"
        f"Hạn khắc phục: {finding.deadline:%d/%m/%Y}.",
        actor=actor,
    )  # fmt: skip


def finding_reopened(finding: Finding, *, event_id: int, comment: str, actor) -> None:
    _tell_office(
        finding, reason=R.FINDING_REOPENED, period=f"event:{event_id}",
        title=f"Khắc phục chưa đạt, hạn mới {finding.deadline:%d/%m/%Y}: {finding.description[:120]}",
        body=f"{finding.inspection.inspecting.name} hậu kiểm: chưa đạt.\nYêu cầu: {comment}\n"
        f"Hạn khắc phục: {finding.deadline:%d/%m/%Y}.",
        actor=actor,
    )  # fmt: skip
