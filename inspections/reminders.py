"""Reminders about inspections: findings past their remediation deadline."""

from notifications.models import NotificationReason as R
from notifications.reminders import Due, People, path_of, rule

from .models import FindingKind, FindingStatus, InspectionKind
from .selectors import findings_overdue


@rule
def finding_reminders(today, people: People, thresholds: dict) -> list[Due]:
    """A finding past its deadline and not closed: the inspected office must remedy (or has, and waits for
    the hậu kiểm), the inspecting office must follow it up. Once per deadline; a reopening may set a new one."""
    due_items = []
    inspection_path = path_of("inspections:detail")
    findings = findings_overdue(today).values_list(
        "pk", "deadline", "description", "remediation", "kind", "status", "inspection_id", "inspection__kind",
        "inspection__date", "inspection__inspecting_id", "inspection__inspecting__name", "inspection__inspected_id",
        "inspection__inspected__name",
    )  # fmt: skip
    for row in findings:
        pk, deadline, description, remediation, kind, status, inspection_id, inspection_kind, date = row[:9]
        inspecting_id, inspecting_name, inspected_id, inspected_name = row[9:]
        subject, period = f"finding:{pk}", deadline.isoformat()
        url = inspection_path(inspection_id) + f"#han-che-{pk}"
        body = (
            f"{InspectionKind(inspection_kind).label} của {inspecting_name} ngày {date:%d/%m/%Y}, "
            f"{FindingKind(kind).label.lower()}: {description}\nYêu cầu khắc phục: {remediation}\n"
            f"Trạng thái: {FindingStatus(status).label}."
        )
        title = f"Quá hạn khắc phục từ {deadline:%d/%m/%Y}: {description[:120]}"
        for user_id in people.office(inspected_id):
            due_items.append(Due(user_id, R.FINDING_OVERDUE, subject, period, title, body, url, inspected_id))
        title = f"{inspected_name} quá hạn khắc phục từ {deadline:%d/%m/%Y}"
        for user_id in people.office(inspecting_id):
            due_items.append(Due(user_id, R.FINDING_OVERDUE, subject, period, title, body, url, inspected_id))
    return due_items
