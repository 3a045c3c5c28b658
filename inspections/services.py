"""Inspections (kiểm tra, giám sát) and the remediation of what they find.

A superior organization inspects one below it and records its shortcomings (hạn chế, khuyết
điểm), each with the remediation required and a deadline. The inspected organization's office
reports its remediation; the inspecting side checks it afterwards (hậu kiểm) and closes the
finding or reopens it. Every step is one atomic call that locks the finding and writes a
`FindingEvent`. Who may do what is in inspections/access.py, one function per action.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from organizations.models import Organization
from quyche.text import nfc
from regulations.models import Provision, ProvisionKind, Regulation

from . import access, notices
from .models import (
    AWAITING_REMEDIATION,
    Finding,
    FindingAction,
    FindingEvent,
    FindingKind,
    FindingStatus,
    Inspection,
    InspectionKind,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _lock(finding: Finding) -> Finding:
    """Re-read the finding under a row lock; whoever comes second waits, then sees the new state.

    Only the finding's own row is locked: with joined rows in a FOR UPDATE, PostgreSQL re-checks
    the join after the first transaction commits and may find no row at all.
    """
    Finding.objects.select_for_update().filter(pk=finding.pk).values_list("pk", flat=True).get()
    return Finding.objects.select_related("inspection__inspecting", "inspection__inspected").get(pk=finding.pk)


def _text(value: str) -> str:
    return nfc(value).strip()


@transaction.atomic
def inspection_create(
    *, inspecting: Organization, inspected: Organization, user, kind: str, date: datetime.date, team: str, scope: str
) -> Inspection:
    """Record an inspection or supervision of an organization below the inspecting one."""
    _require(
        access.can_inspect(user, inspecting),
        f"Chỉ Ban Thường vụ, Ủy ban Kiểm tra, Văn phòng của {inspecting.name} lập cuộc kiểm tra, giám sát của mình.",
    )
    errors = {}
    if not inspected.is_below(inspecting):
        errors["inspected"] = (
            f"{inspected.name} không phải tổ chức cấp dưới của {inspecting.name}; "
            "chỉ cấp trên kiểm tra, giám sát cấp dưới."
        )
    if kind not in InspectionKind.values:
        errors["kind"] = "Hãy chọn kiểm tra hoặc giám sát."
    if date > timezone.localdate():
        errors["date"] = "Ngày kiểm tra, giám sát không thể sau hôm nay."
    team, scope = _text(team), _text(scope)
    if not team:
        errors["team"] = "Hãy ghi thành phần đoàn kiểm tra, giám sát."
    if not scope:
        errors["scope"] = "Hãy ghi nội dung, phạm vi kiểm tra, giám sát."
    if errors:
        raise ValidationError(errors)
    return Inspection.objects.create(
        inspecting=inspecting, inspected=inspected, kind=kind, date=date, team=team, scope=scope, created_by=user
    )


@transaction.atomic
def finding_add(
    *, inspection: Inspection, user, kind: str, description: str, remediation: str, deadline: datetime.date,
    regulation: Regulation | None = None, article_key=None,
) -> Finding:  # fmt: skip
    """Record a shortcoming found, optionally tied to an article of the inspected organization's regulation."""
    inspection = Inspection.objects.select_related("inspecting", "inspected").get(pk=inspection.pk)
    _require(
        access.can_add_finding(user, inspection),
        f"Chỉ Ban Thường vụ, Ủy ban Kiểm tra, Văn phòng của {inspection.inspecting.name} ghi kết luận kiểm tra.",
    )
    errors = {}
    description, remediation = _text(description), _text(remediation)
    if kind not in FindingKind.values:
        errors["kind"] = "Hãy chọn hạn chế hoặc khuyết điểm."
    if not description:
        errors["description"] = "Hãy nêu nội dung hạn chế, khuyết điểm."
    if not remediation:
        errors["remediation"] = "Hãy nêu yêu cầu khắc phục."
    if deadline < timezone.localdate():
        errors["deadline"] = "Hạn khắc phục không thể trước hôm nay."
    label = ""
    if article_key and regulation is None:
        errors["article_key"] = "Hãy chọn quy chế có điều này."
    elif regulation is not None and regulation.organization_id != inspection.inspected_id:
        errors["regulation"] = f"“{regulation.title}” không phải quy chế của {inspection.inspected.name}."
    elif article_key:
        # The article as the text reads today: the regulation's current version.
        article = Provision.objects.filter(
            version_id=regulation.current_version_id, kind=ProvisionKind.ARTICLE, key=article_key
        ).first()
        if article is None:
            errors["article_key"] = f"Không có điều này trong văn bản hiện hành của “{regulation.title}”."
        else:
            label = article.label
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(
        inspection=inspection, kind=kind, description=description, remediation=remediation, deadline=deadline,
        regulation=regulation, article_key=article_key or None, article_label=label, created_by=user,
    )  # fmt: skip
    FindingEvent.objects.create(
        finding=finding, actor=user, action=FindingAction.RECORD, to_status=finding.status, deadline=deadline
    )
    notices.finding_assigned(finding, actor=user)
    return finding


@transaction.atomic
def remediation_report(*, finding: Finding, user, report: str) -> Finding:
    """The inspected organization's office reports how it remedied the finding."""
    finding = _lock(finding)
    _require(
        access.can_remedy(user, finding.inspection),
        f"Chỉ văn phòng của {finding.inspection.inspected.name} báo cáo khắc phục.",
    )
    if finding.status not in AWAITING_REMEDIATION:
        raise ValidationError(f"Hạn chế, khuyết điểm này đang ở trạng thái “{finding.get_status_display()}”.")
    report = _text(report)
    if not report:
        raise ValidationError({"report": "Hãy nêu kết quả khắc phục."})
    return _move(finding, user, FindingAction.REPORT, FindingStatus.REPORTED, report)


@transaction.atomic
def finding_check(
    *, finding: Finding, user, accepted: bool, comment: str = "", deadline: datetime.date | None = None
) -> Finding:
    """Hậu kiểm: accept the remediation (closed) or not (reopened, with a reason and perhaps a new deadline).

    A new deadline is only for a reopened finding; accepting closes it whatever deadline was given.
    """
    finding = _lock(finding)
    inspection = finding.inspection
    _require(
        access.can_inspect(user, inspection.inspecting, inspection.inspected),
        f"Chỉ Ban Thường vụ, Ủy ban Kiểm tra, Văn phòng của {inspection.inspecting.name} hậu kiểm việc khắc phục.",
    )
    if finding.status != FindingStatus.REPORTED:
        raise ValidationError(f"Chưa có báo cáo khắc phục để hậu kiểm (trạng thái: “{finding.get_status_display()}”).")
    comment = _text(comment)
    if accepted:
        return _move(finding, user, FindingAction.ACCEPT, FindingStatus.CLOSED, comment)
    if not comment:
        raise ValidationError({"comment": "Cần ghi rõ nội dung chưa đạt, yêu cầu khắc phục lại."})
    if deadline is not None:
        if deadline < timezone.localdate():
            raise ValidationError({"deadline": "Hạn khắc phục mới không thể trước hôm nay."})
        finding.deadline = deadline
    finding = _move(finding, user, FindingAction.REOPEN, FindingStatus.REOPENED, comment)
    notices.finding_reopened(finding, event_id=finding.events.latest("pk").pk, comment=comment, actor=user)
    return finding


def _move(finding: Finding, user, action: str, status: str, comment: str) -> Finding:
    FindingEvent.objects.create(
        finding=finding, actor=user, action=action, from_status=finding.status, to_status=status, comment=comment,
        deadline=finding.deadline,
    )  # fmt: skip
    finding.status = status
    finding.save(update_fields=["status", "deadline"])
    return finding
