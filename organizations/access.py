"""Who may do what: one function per action, used by views, the API and templates alike.

The rules, from the party's practice:
- a person acts for the bodies they sit in (members of a body act for that body);
- office staff draft for their own organization;
- members of an organization's BTV, UBKT and office read (audit) it and all its descendants;
- anyone else needs an explicit grant on the object (django-guardian), e.g. a working-group
  member from another body. Without a right, the object does not exist for them (404).
"""

import copy
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from quyche import counts

from .models import (
    ALLOWED_BODIES,
    BodyKind,
    Organization,
    OrganizationGroupObjectPermission,
    OrganizationUserObjectPermission,
    Position,
    Role,
    body_name,
)

AUDIT_BODIES = frozenset({BodyKind.STANDING, BodyKind.INSPECTION, BodyKind.OFFICE})
# Where an organization has no office of its own, its secretaries do the paperwork.
SECRETARY_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.STANDING_DEPUTY_SECRETARY})


@dataclass(frozen=True)
class Seat:
    """One position a person holds today, with what the rules need to know about it."""

    organization_id: int
    organization_path: str
    organization_depth: int
    organization_name: str
    organization_kind: str
    body_id: int
    body_kind: str
    role: str

    def covers(self, organization: Organization) -> bool:
        """The seat's own organization or one below it."""
        return Organization.path_is_below(organization.path, self.organization_path, include_self=True)


def seats(user) -> list[Seat]:
    """The user's active positions, once per request (kept on the user object).

    Every page asks for them (the header lists the user's organizations), so they are kept in the counts
    cache for the day, until a position, a body, a term or an organization is saved or deleted
    (organizations/apps.py): a seat given or taken away counts at once."""
    if not user.is_authenticated:
        return []
    kept = getattr(user, "_quyche_seats", None)
    if kept is None:
        kept = user._quyche_seats = counts.cached(f"seats:{user.pk}", ("positions",), lambda: _seats_of(user))
    return kept


def _seats_of(user) -> list[Seat]:
    rows = (
        Position.objects.active()
        .filter(user=user)
        .values_list(
            "body__organization_id",
            "body__organization__path",
            "body__organization__depth",
            "body__organization__name",
            "body__organization__kind",
            "body_id",
            "body__kind",
            "role",
        )
    )
    return [Seat(*row) for row in rows]


@dataclass(frozen=True)
class Membership:
    """A person's seats in one organization, each role once."""

    organization_id: int
    organization_name: str
    roles: tuple[str, ...]


def roles_by_organization(user) -> list[Membership]:
    """The user's organizations, each once, with the roles they hold there: a Bí thư sits in the BCH, the BTV and
    Thường trực with one role, shown once with the three bodies ("Bí thư (Ban Chấp hành, Ban Thường vụ, Thường
    trực)"); a role that names its body is not followed by it ("Ủy viên Ban Thường vụ")."""
    names, bodies_by_role = {}, {}
    for seat in seats(user):
        names[seat.organization_id] = seat.organization_name
        roles = bodies_by_role.setdefault(seat.organization_id, {})
        roles.setdefault(Role(seat.role).label, []).append(body_name(seat.body_kind, seat.organization_kind))
    return [
        Membership(
            organization_id, names[organization_id], tuple(_role_text(role, bodies) for role, bodies in roles.items())
        )
        for organization_id, roles in bodies_by_role.items()
    ]


def _role_text(role: str, bodies: list[str]) -> str:
    unnamed = [body for body in bodies if body not in role]
    return f"{role} ({', '.join(unnamed)})" if unnamed else role


def is_member(user, organization: Organization) -> bool:
    return any(seat.organization_id == organization.pk for seat in seats(user))


def can_audit(user, organization: Organization) -> bool:
    """BTV, UBKT and office of the organization or of any organization above it."""
    if user.is_superuser:
        return True
    return any(seat.body_kind in AUDIT_BODIES and seat.covers(organization) for seat in seats(user))


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
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(readable(user))


def readable(user, via: str = "") -> Q:
    """The condition `visible_organizations` puts on an organization, here on the one reached through `via`
    (`"regulation__organization"`), for an authenticated user.

    Checked on each row's own organization, a list need not first gather every organization the user reads
    (ten thousand for a province's auditor): the database walks the list in its order and stops at a page."""
    if user.is_superuser:
        return Q()
    attached = Q(pk__in={seat.organization_id for seat in seats(user)})
    audited = Organization.below_any(
        {seat.organization_path for seat in seats(user) if seat.body_kind in AUDIT_BODIES}, include_self=True
    )
    return _through(attached | audited | granted(user), via)


def _through(condition: Q, via: str) -> Q:
    """`condition` on an organization, rewritten for the organization reached through the relation `via`."""
    if not via:
        return condition
    rewritten = copy.copy(condition)
    rewritten.children = [
        _through(child, via) if isinstance(child, Q) else (f"{via}__{child[0]}", child[1])
        for child in condition.children
    ]
    return rewritten


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
    return any(seat.body_kind == BodyKind.OFFICE and seat.covers(organization) for seat in seats(user))


def sits_in(user, organization: Organization, body_kind: str) -> bool:
    """Whether the user holds a position today in that body of that organization."""
    return any(seat.organization_id == organization.pk and seat.body_kind == body_kind for seat in seats(user))
