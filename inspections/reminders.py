"""Reminders about inspections: findings past their remediation deadline."""

from django.urls import reverse

from notifications.models import NotificationReason as R
from notifications.reminders import Due, People, rule

from .selectors import findings_overdue


@rule
def finding_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A finding past its deadline and not closed: the inspected office must remedy (or has, and waits for
    the hậu kiểm), the inspecting office must follow it up. Once per deadline; a reopening may set a new one."""
    due_items = []
    for finding in findings_overdue(today):
        inspection = finding.inspection
        subject, period = f"finding:{finding.pk}", finding.deadline.isoformat()
        url = reverse("inspections:detail", args=[inspection.pk]) + f"#han-che-{finding.pk}"
        body = (
            f"{inspection.get_kind_display()} của {inspection.inspecting.name} ngày {inspection.date:%d/%m/%Y}, "
            f"{finding.get_kind_display().lower()}: {finding.description}\nYêu cầu khắc phục: {finding.remediation}\n"
            f"Trạng thái: {finding.get_status_display()}."
        )
        title = f"Quá hạn khắc phục từ {finding.deadline:%d/%m/%Y}: {finding.description[:120]}"
        for user_id in people.office(inspection.inspected_id):
            due_items.append(Due(user_id, R.FINDING_OVERDUE, subject, period, title, body, url))
        title = f"{inspection.inspected.name} quá hạn khắc phục từ {finding.deadline:%d/%m/%Y}"
        for user_id in people.office(inspection.inspecting_id):
            due_items.append(Due(user_id, R.FINDING_OVERDUE, subject, period, title, body, url))
    return due_items
