"""Writes to the hierarchy. Views, admin, commands and seeds all come through here."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from quyche.text import nfc

from .access import can_manage_organization
from .models import (
    ALLOWED_BODIES,
    ALLOWED_PARENTS,
    DEFAULT_SYMBOL,
    ROLES_BY_BODY,
    Body,
    BodyKind,
    Organization,
    OrganizationKind,
    Position,
    Role,
    Term,
    body_name,
)


def _check_placement(*, kind: str, parent: Organization | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent else None
    if parent_kind in allowed:
        return
    label = OrganizationKind(kind).label
    if parent is None:
        raise ValidationError({"parent": f"{label} phải trực thuộc một tổ chức đảng cấp trên."})
    if not allowed:
        raise ValidationError({"parent": f"{label} không được đặt ở đây."})
    raise ValidationError(
        {"parent": f"{label} không thể trực thuộc {OrganizationKind(parent.kind).label.lower()} ({parent.name})."}
    )


def _check_code(*, code: str, parent: Organization | None, exclude_pk=None) -> None:
    if not code:
        raise ValidationError({"code": "Cần nhập mã của tổ chức."})
    siblings = Organization.objects.filter(parent=parent, code=code).exclude(pk=exclude_pk)
    if siblings.exists():
        where = f"trong {parent.name}" if parent else "ở cấp cao nhất"
        raise ValidationError({"code": f'Mã "{code}" đã được dùng cho một tổ chức khác {where}.'})


def check_new_organization(*, name: str, kind: str, code: str, parent: Organization | None) -> None:
    """Raise a ValidationError in Vietnamese if such an organization may not be created."""
    if not nfc(name).strip():
        raise ValidationError({"name": "Cần nhập tên tổ chức."})
    if kind not in OrganizationKind.values:
        raise ValidationError({"kind": "Loại tổ chức không hợp lệ."})
    _check_placement(kind=kind, parent=parent)
    _check_code(code=nfc(code).strip(), parent=parent)


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    code: str,
    parent: Organization | None = None,
    symbol: str = "",
    bodies: tuple[str, ...] | None = None,
    user=None,
) -> Organization:
    """Create an organization under its parent, with the bodies its kind usually has.

    `user` is who asks: the office of the parent or of one above it (a superuser at the top);
    None is the system itself (the demo, the benchmarks, the tests' factories).
    """
    if user is not None and not (user.is_superuser if parent is None else can_manage_organization(user, parent)):
        raise PermissionDenied("Chỉ văn phòng cấp ủy mới được thêm tổ chức trực thuộc.")
    check_new_organization(name=name, kind=kind, code=code, parent=parent)
    name, code = nfc(name).strip(), nfc(code).strip()
    instance = Organization(
        name=name, kind=kind, code=code, symbol=symbol or DEFAULT_SYMBOL[kind], parent=parent,
        created_at=timezone.now(), created_by=user,
    )  # fmt: skip
    organization = (
        Organization.objects.add_root(instance=instance)
        if parent is None
        else Organization.objects.add_child(parent, instance=instance)
    )
    for body_kind in bodies if bodies is not None else default_bodies(kind):
        body_create(organization=organization, kind=body_kind)
    return organization


def default_bodies(kind: str) -> tuple[str, ...]:
    """A đảng bộ cơ sở has a BTV only when large; it is added by hand then."""
    bodies = ALLOWED_BODIES[kind]
    if kind == OrganizationKind.GRASSROOTS_COMMITTEE:
        return tuple(b for b in bodies if b != BodyKind.STANDING)
    return bodies


def organization_update(*, organization: Organization, name: str, code: str, symbol: str) -> Organization:
    name, code = nfc(name).strip(), nfc(code).strip()
    if not name:
        raise ValidationError({"name": "Cần nhập tên tổ chức."})
    _check_code(code=code, parent=organization.parent, exclude_pk=organization.pk)
    organization.name, organization.code, organization.symbol = name, code, symbol or organization.symbol
    organization.save(update_fields=["name", "name_folded", "code", "symbol"])
    return organization


def body_create(*, organization: Organization, kind: str, name: str = "") -> Body:
    if kind not in organization.allowed_body_kinds:
        raise ValidationError(
            {
                "kind": f"{OrganizationKind(organization.kind).label} không có "
                f"{BodyKind(kind).label if kind in BodyKind.values else 'cơ quan này'}."
            }
        )
    if Body.objects.filter(organization=organization, kind=kind).exists():
        raise ValidationError({"kind": f"{organization.name} đã có {BodyKind(kind).label}."})
    return Body.objects.create(
        organization=organization, kind=kind, name=nfc(name).strip() or body_name(kind, organization.kind)
    )


def check_term(*, organization: Organization, start: datetime.date, end: datetime.date | None, exclude_pk=None) -> None:
    if end is not None and end <= start:
        raise ValidationError({"end": "Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu."})
    overlapping = (
        organization.terms.filter(start__lte=end or datetime.date.max).exclude(end__lt=start).exclude(pk=exclude_pk)
    )
    if overlapping.exists():
        raise ValidationError({"start": f"Nhiệm kỳ trùng thời gian với {overlapping.first().name}."})


def term_create(*, organization: Organization, name: str, start: datetime.date, end: datetime.date | None) -> Term:
    check_term(organization=organization, start=start, end=end)
    return Term.objects.create(organization=organization, name=nfc(name).strip(), start=start, end=end)


def check_position(*, user, body: Body, term: Term, role: str, start: datetime.date, end: datetime.date | None) -> None:
    if term.organization_id != body.organization_id:
        raise ValidationError({"term": "Nhiệm kỳ không thuộc tổ chức của cơ quan này."})
    if role not in ROLES_BY_BODY[body.kind]:
        raise ValidationError(
            {"role": f"Chức vụ {Role(role).label if role in Role.values else role} không thuộc {body.name}."}
        )
    if not term.covers(start) or (end is not None and not term.covers(end)) or (end is None and term.end is not None):
        raise ValidationError({"start": f"Thời gian giữ chức vụ phải nằm trong {term.name}."})
    if end is not None and end < start:
        raise ValidationError({"end": "Ngày kết thúc phải sau ngày bắt đầu."})
    if Position.objects.filter(user=user, body=body, term=term, role=role).exists():
        raise ValidationError({"role": "Người này đã giữ chức vụ này trong nhiệm kỳ."})


def position_create(
    *, user, body: Body, term: Term, role: str, start: datetime.date | None = None, end: datetime.date | None = None
) -> Position:
    """Appoint a person. The dates default to the term's and must stay inside it."""
    start = start or term.start
    end = end if end is not None else term.end
    check_position(user=user, body=body, term=term, role=role, start=start, end=end)
    return Position.objects.create(user=user, body=body, term=term, role=role, start=start, end=end)
