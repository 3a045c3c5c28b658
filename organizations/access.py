"""Who may do what: one function per action, used by views, the API and templates alike.

The rules, from the party's practice:
- a person acts for the bodies they sit in (members of a body act for that body);
- office staff draft for their own organization;
- members of an organization's BTV, UBKT and office read (audit) it and all its descendants;
- anyone else needs an explicit grant on the object (django-guardian), e.g. a working-group
  member from another body. Without a right, the object does not exist for them (404).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from .models import (
    ALLOWED_BODIES,
    BodyKind,
    Organization,
    OrganizationGroupObjectPermission,
    OrganizationUserObjectPermission,
    Position,
    Role,
)

AUDIT_BODIES = frozenset({BodyKind.STANDING, BodyKind.INSPECTION, BodyKind.OFFICE})
# Where an organization has no office of its own, its secretaries do the paperwork.
SECRETARY_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_DEPUTY_SECRETARY})


@dataclass(frozen=True)
class Seat:
    """One position a person holds today, with what the rules need to know about it."""

    organization_id: int
    organization_path: str
    organization_name: str
    organization_kind: str
    body_id: int
    body_kind: str
    role: str


def seats(user) -> list[Seat]:
    """The user's active positions, loaded once per request (cached on the user object)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_quyche_seats", None)
    if cached is None:
        rows = (
            Position.objects.active()
            .filter(user=user)
            .values_list(
                "body__organization_id",
                "body__organization__path",
                "body__organization__name",
                "body__organization__kind",
                "body_id",
                "body__kind",
                "role",
            )
        )
        cached = [Seat(*row) for row in rows]
        user._quyche_seats = cached
    return cached


def is_member(user, organization: Organization) -> bool:
    return any(seat.organization_id == organization.pk for seat in seats(user))


def can_audit(user, organization: Organization) -> bool:
    """BTV, UBKT and office of the organization or of any organization above it."""
    if user.is_superuser:
        return True
    return any(
        seat.body_kind in AUDIT_BODIES and organization.path.startswith(seat.organization_path) for seat in seats(user)
    )


def can_view_organization(user, organization: Organization) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_member(user, organization)
        or can_audit(user, organization)
        or user.has_perm("organizations.view_organization", organization)
    )


def can_draft(user, organization: Organization) -> bool:
    """Office staff draft for their own organization (its secretaries where it has no office)."""
    return user.is_superuser or organization.pk in drafting_organization_ids(user)


def drafting_organization_ids(user) -> set[int]:
    """The organizations the user drafts for (and answers consultations for), read off their seats."""
    ids = set()
    for seat in seats(user):
        if seat.body_kind == BodyKind.OFFICE or (
            seat.body_kind == BodyKind.EXECUTIVE
            and seat.role in SECRETARY_ROLES
            and BodyKind.OFFICE not in ALLOWED_BODIES[seat.organization_kind]
        ):
            ids.add(seat.organization_id)
    return ids


def answering_organization_ids(user) -> set[int]:
    """Organizations the user answers consultations for: its office, or its secretaries, sign its opinion."""
    return drafting_organization_ids(user) | {
        seat.organization_id
        for seat in seats(user)
        if seat.body_kind == BodyKind.EXECUTIVE and seat.role in SECRETARY_ROLES
    }


def can_act_for_body(user, body) -> bool:
    return any(seat.body_id == body.pk for seat in seats(user))


def visible_organizations(user):
    """Every organization the user may read, as one queryset (no query per seat)."""
    qs = Organization.objects.all()
    if user.is_superuser:
        return qs
    if not user.is_authenticated:
        return qs.none()
    condition = Q(pk__in={seat.organization_id for seat in seats(user)})
    for path in {seat.organization_path for seat in seats(user) if seat.body_kind in AUDIT_BODIES}:
        condition |= Q(path__startswith=path)
    return qs.filter(condition | granted(user))


def granted(user, codename: str = "view_organization") -> Q:
    """Organizations granted to the user by name or through a group, as a condition."""
    return Q(
        pk__in=OrganizationUserObjectPermission.objects.filter(user=user, permission__codename=codename).values(
            "content_object_id"
        )
    ) | Q(
        pk__in=OrganizationGroupObjectPermission.objects.filter(group__user=user, permission__codename=codename).values(
            "content_object_id"
        )
    )


def get_organization_for_user(user, pk) -> Organization:
    """The organization, if the user may read it; otherwise it does not exist for them."""
    try:
        organization = Organization.objects.get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy tổ chức.") from None
    if not can_view_organization(user, organization):
        raise Http404("Không tìm thấy tổ chức.")
    return organization


def can_manage_organization(user, organization: Organization) -> bool:
    """The office of the organization or of one above it keeps the register of organizations."""
    if user.is_superuser:
        return True
    return any(
        seat.body_kind == BodyKind.OFFICE and organization.path.startswith(seat.organization_path)
        for seat in seats(user)
    )


def can_view_regulation(user, regulation) -> bool:
    """A regulation is read by those who may read its organization or one of its parties, and by
    those it was granted to (working-group members from other bodies, while the work lasts)."""
    if can_view_organization(user, regulation.organization):
        return True
    if any(can_view_organization(user, party) for party in regulation.parties.all()):
        return True
    if regulation.kind == "model" and any(
        seat.organization_path.startswith(regulation.organization.path) for seat in seats(user)
    ):
        return True  # a model regulation is written for the organizations below to adapt
    return user.is_authenticated and user.has_perm("regulations.view_regulation", regulation)


def can_import_regulation(user, organization: Organization) -> bool:
    """Bringing in texts is drafting work: the office's."""
    return can_draft(user, organization)


def sits_in(user, organization: Organization, body_kind: str) -> bool:
    """Whether the user holds a position today in that body of that organization."""
    return any(seat.organization_id == organization.pk and seat.body_kind == body_kind for seat in seats(user))


# Amendments. The functions take the amendment and read what they need from it; the lists
# they consult (working group, consultation requests) are loaded once per amendment object.


def _working_group(amendment) -> dict:
    cached = getattr(amendment, "_working_group_roles", None)
    if cached is None:
        cached = dict(amendment.working_group.values_list("user_id", "role"))
        amendment._working_group_roles = cached
    return cached


def _requests(amendment) -> list:
    cached = getattr(amendment, "_consultation_requests", None)
    if cached is None:
        cached = list(amendment.requests.all())
        amendment._consultation_requests = cached
    return cached


def in_working_group(user, amendment) -> bool:
    """A working group exists while its amendment is open; it dissolves when the amendment ends."""
    return amendment.is_open and user.is_authenticated and user.pk in _working_group(amendment)


def can_work_on(user, amendment) -> bool:
    """The working group, and the office of the organization it works for."""
    return in_working_group(user, amendment) or can_draft(user, amendment.regulation.organization)


def open_requests_for(user, amendment) -> list:
    """Consultation requests this user may answer: their own, and their organization's."""
    if not user.is_authenticated:
        return []
    return [request for request in _requests(amendment) if request.answered_at is None and _asks(request, user)]


def _asks(request, user) -> bool:
    return request.user_id == user.pk or request.organization_id in answering_organization_ids(user)


def is_consulted(user, amendment) -> bool:
    return user.is_authenticated and any(_asks(request, user) for request in _requests(amendment))


def can_view_amendment(user, amendment) -> bool:
    if not user.is_authenticated:
        return False
    return (
        can_view_organization(user, amendment.regulation.organization)
        or in_working_group(user, amendment)
        or is_consulted(user, amendment)
        or user.has_perm("reviews.view_amendment", amendment)
    )


def can_start_amendment(user, regulation) -> bool:
    return can_draft(user, regulation.organization)


def can_act_at_stage(user, amendment) -> bool:
    """The working group acts at its own stages; at the others, the members of the stage's body."""
    if amendment.status != "in_progress":
        return False
    stage = amendment.stage
    if stage.by_working_group:
        return can_work_on(user, amendment)
    return user.is_superuser or sits_in(user, amendment.regulation.organization, stage.body_kind)


def can_edit_draft(user, amendment) -> bool:
    return (
        amendment.status == "in_progress"
        and amendment.stage.kind in ("drafting", "synthesis")
        and can_work_on(user, amendment)
    )


def can_edit_dossier(user, amendment) -> bool:
    return amendment.status == "in_progress" and amendment.stage.by_working_group and can_work_on(user, amendment)


def can_manage_working_group(user, amendment) -> bool:
    if not amendment.is_open:
        return False
    return _working_group(amendment).get(user.pk) == "chair" or can_draft(user, amendment.regulation.organization)


def can_consult(user, amendment) -> bool:
    return amendment.status == "in_progress" and amendment.stage.kind == "consultation" and can_work_on(user, amendment)


def can_comment(user, amendment) -> bool:
    """During consultation, those asked for their opinion comment on the draft."""
    return (
        amendment.status == "in_progress"
        and amendment.stage.kind == "consultation"
        and bool(open_requests_for(user, amendment))
    )


def can_reply(user, amendment) -> bool:
    return (
        amendment.status == "in_progress"
        and amendment.stage.kind in ("consultation", "synthesis")
        and (is_consulted(user, amendment) or can_work_on(user, amendment))
    )


def can_dispose(user, amendment) -> bool:
    return amendment.status == "in_progress" and amendment.stage.kind == "synthesis" and can_work_on(user, amendment)


def can_issue(user, amendment) -> bool:
    return amendment.status == "adopted" and can_draft(user, amendment.regulation.organization)


def can_keep_register(user) -> bool:
    """The register of superior documents is kept by the offices of the top-level committees."""
    return user.is_superuser or any(
        seat.body_kind == BodyKind.OFFICE and len(seat.organization_path) == Organization.steplen
        for seat in seats(user)
    )


# Inspections (kiểm tra, giám sát) and their findings.

def is_below(organization: Organization, superior: Organization) -> bool:
    """Strictly below in the tree: a child, a grandchild, never itself, a sibling or one above."""
    return organization.path.startswith(superior.path) and len(organization.path) > len(superior.path)


def can_inspect(user, inspecting: Organization, inspected: Organization | None = None) -> bool:
    """The BTV, UBKT and office of the inspecting organization inspect the organizations below it."""
    if inspected is not None and not is_below(inspected, inspecting):
        return False
    return user.is_superuser or any(
        seat.organization_id == inspecting.pk and seat.body_kind in AUDIT_BODIES for seat in seats(user)
    )


def can_view_inspection(user, inspection) -> bool:
    """The inspecting side (those who audit the inspecting organization) and the inspected organization's people."""
    return can_audit(user, inspection.inspecting) or is_member(user, inspection.inspected)


def can_add_finding(user, inspection) -> bool:
    return can_inspect(user, inspection.inspecting, inspection.inspected)


def can_report(user, finding) -> bool:
    """The inspected organization's office reports the remediation of a finding that waits for it."""
    return finding.awaits_remediation and can_draft(user, finding.inspection.inspected)


def can_check(user, finding) -> bool:
    """Hậu kiểm: the inspecting side checks a reported remediation."""
    inspection = finding.inspection
    return finding.status == "reported" and can_inspect(user, inspection.inspecting, inspection.inspected)
