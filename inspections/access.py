"""Who may do what with inspections and their findings: one function per action."""

from organizations import access
from organizations.models import Organization

from .models import FindingStatus


def can_inspect(user, inspecting: Organization, inspected: Organization | None = None) -> bool:
    """The BTV, UBKT and office of the inspecting organization inspect the organizations below it."""
    if inspected is not None and not inspected.is_below(inspecting):
        return False
    return user.is_superuser or any(
        seat.organization_id == inspecting.pk and seat.body_kind in access.AUDIT_BODIES for seat in access.seats(user)
    )


def can_view_inspection(user, inspection) -> bool:
    """The inspecting side (those who audit the inspecting organization) and the inspected organization's people."""
    return access.can_audit(user, inspection.inspecting) or access.is_member(user, inspection.inspected)


def can_add_finding(user, inspection) -> bool:
    return can_inspect(user, inspection.inspecting, inspection.inspected)


def can_remedy(user, inspection) -> bool:
    """The inspected organization's office answers for the remediation of what was found."""
    return access.can_draft(user, inspection.inspected)


def can_report(user, finding) -> bool:
    """The inspected organization's office reports the remediation of a finding that waits for it."""
    return finding.awaits_remediation and can_remedy(user, finding.inspection)


def can_check(user, finding) -> bool:
    """Hậu kiểm: the inspecting side checks a reported remediation."""
    inspection = finding.inspection
    return finding.status == FindingStatus.REPORTED and can_inspect(user, inspection.inspecting, inspection.inspected)
