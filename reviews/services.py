"""Writes of the amendment process. Every transition is one atomic call that locks the amendment,
checks the stage and the actor, writes an event and leaves side effects until after commit."""

import dataclasses
import datetime
import uuid
from collections.abc import Sequence
from html import escape
from typing import NamedTuple

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from organizations.access import can_view_organization
from organizations.models import BodyKind, Organization, Position, Role, body_name
from organizations.selectors import secretary, sitting_members
from quyche import counts
from regulations import editing, numbering
from regulations import selectors as regulation_selectors
from regulations import services as regulation_services
from regulations.models import Provision, ProvisionKind, RegisteredNumber, Regulation, VersionStatus

from . import access, notices, papers
from .models import (
    Amendment,
    AmendmentStatus,
    ArticleChange,
    Comment,
    ConsultationRequest,
    Disposition,
    DispositionKind,
    DossierRevision,
    Event,
    EventAction,
    Paper,
    PaperKind,
    PaperStatus,
    Stage,
    StageKind,
    SuggestionKind,
    WorkingGroupMember,
    WorkingGroupRole,
)
from .passages import Passage, body_with, clean_wording, find_passage, split_heading
from .selectors import waiting_requests

DOSSIER_FIELDS = (
    "reason",
    "strengths",
    "shortcomings",
    "lessons",
    "superior_documents",
    "matters_arising",
    "submission",
)
# A comment is a few paragraphs; an answer sends at most one unsaved comment per box on the page.
COMMENT_MAX_LENGTH = 10_000
COMMENT_TOO_LONG = "Mỗi ý kiến dài tối đa 10.000 ký tự; hãy chia thành nhiều ý kiến."
PENDING_MAX = 500
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h3", "h4", "table", "thead",
                "tbody", "tr", "th", "td"}  # fmt: skip


def sanitize(text: str) -> str:
    """Formatted dossier text keeps its paragraphs and lists, never scripts, links or styles.

    Plain text (no markup) becomes one paragraph per line, as it was typed.
    """
    text = (text or "").strip()
    if "<" not in text:
        text = "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def stages_for(organization: Organization) -> list[Stage]:
    return list(Stage.objects.filter(organization_kind=organization.kind).order_by("order"))


def _lock(amendment: Amendment) -> Amendment:
    """Re-read the amendment under a row lock; whoever comes second waits, then sees the new state.

    Only the amendment's own row is locked: with joined rows in a FOR UPDATE, PostgreSQL re-checks
    the join after the first transaction commits and may find no row at all.
    """
    Amendment.objects.select_for_update().filter(pk=amendment.pk).values_list("pk", flat=True).get()
    return Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def amendment_start(*, regulation: Regulation, user, title: str = "", reason: str = "") -> Amendment:
    """Open a dossier on the text in force (or, for a regulation with no text yet, on a blank draft)."""
    _require(access.can_start_amendment(user, regulation), "Chỉ văn phòng cấp ủy mới lập hồ sơ sửa đổi.")
    regulation = Regulation.objects.select_for_update().get(pk=regulation.pk)
    stages = stages_for(regulation.organization)
    if not stages:
        raise ValidationError("Chưa cấu hình quy trình sửa đổi cho loại tổ chức này.")
    base = regulation.versions.filter(status=VersionStatus.IN_FORCE).order_by("-effective", "-pk").first()
    if Amendment.objects.open().filter(regulation=regulation).exists():
        raise ValidationError("Quy chế này đang có một hồ sơ sửa đổi chưa kết thúc.")
    if base is None:
        draft = regulation_services.version_create_empty_draft(regulation=regulation, user=user)
    else:
        draft = regulation_services.version_copy_as_draft(version=base, user=user)
    now = timezone.now()
    try:
        with transaction.atomic():
            amendment = Amendment.objects.create(
                regulation=regulation,
                base_version=base,
                draft=draft,
                title=title.strip() or f"Sửa đổi, bổ sung {regulation.title}",
                stage=stages[0],
                stage_entered_at=now,
                reason=sanitize(reason),
                created_by=user,
            )
    except IntegrityError as error:
        raise ValidationError("Quy chế này đang có một hồ sơ sửa đổi chưa kết thúc.") from error
    WorkingGroupMember.objects.create(
        amendment=amendment, user=user, role=WorkingGroupRole.CHAIR, affiliation="Văn phòng", added_by=user
    )
    _write_event(amendment, user=user, action=EventAction.CREATE, from_stage=None, from_status="")
    notices.amendment_started(amendment, actor=user)
    return amendment


@transaction.atomic
def dossier_update(*, amendment: Amendment, user, expected_revision: int, **fields) -> Amendment:
    amendment = _lock(amendment)
    _require(access.can_edit_dossier(user, amendment), "Hồ sơ chỉ được sửa ở các bước của tổ công tác.")
    if amendment.dossier_revision != expected_revision:
        raise ValidationError(
            "Hồ sơ vừa được người khác cập nhật; nội dung của bạn chưa được lưu. Hãy tải lại trang và sửa lại."
        )
    unknown = set(fields) - set(DOSSIER_FIELDS)
    if unknown:
        raise ValidationError(f"Không có mục {', '.join(sorted(unknown))} trong hồ sơ.")
    now, revisions = timezone.now(), []
    for name, value in fields.items():
        value = sanitize(value)
        before = getattr(amendment, name)
        if value != before:
            revisions.append(
                DossierRevision(
                    amendment=amendment, field=name, before=before, after=value, edited_by=user, edited_at=now
                )
            )
        setattr(amendment, name, value)
    amendment.dossier_revision += 1
    amendment.save(update_fields=[*fields, "dossier_revision"])
    DossierRevision.objects.bulk_create(revisions)
    return amendment


# The working group ---------------------------------------------------------------------------


def _grant(member, amendment: Amendment) -> None:
    """People from outside the organization see this amendment and its regulation, nothing more."""
    if not can_view_organization(member, amendment.regulation.organization):
        assign_perm("reviews.view_amendment", member, amendment)
        assign_perm("regulations.view_regulation", member, amendment.regulation)


def _revoke(member, amendment: Amendment) -> None:
    remove_perm("reviews.view_amendment", member, amendment)
    remove_perm("regulations.view_regulation", member, amendment.regulation)


@transaction.atomic
def working_group_add(*, amendment: Amendment, user, member, affiliation: str = "") -> WorkingGroupMember:
    amendment = _lock(amendment)
    _require(
        access.can_manage_working_group(user, amendment), "Chỉ tổ trưởng hoặc văn phòng được thay đổi tổ công tác."
    )
    if amendment.working_group.active().filter(user=member).exists():
        raise ValidationError(f"{member} đã ở trong tổ công tác.")
    seat = WorkingGroupMember.objects.create(
        amendment=amendment, user=member, affiliation=affiliation.strip(), added_by=user
    )
    _grant(member, amendment)
    notices.working_group_joined(amendment, member)
    return seat


@transaction.atomic
def working_group_remove(*, amendment: Amendment, user, member) -> None:
    amendment = _lock(amendment)
    _require(
        access.can_manage_working_group(user, amendment), "Chỉ tổ trưởng hoặc văn phòng được thay đổi tổ công tác."
    )
    seat = amendment.working_group.active().filter(user=member).first()
    if seat is None:
        raise ValidationError(f"{member} không ở trong tổ công tác.")
    if seat.role == WorkingGroupRole.CHAIR:
        raise ValidationError("Không thể bỏ tổ trưởng khỏi tổ công tác.")
    seat.removed_at, seat.removed_by = timezone.now(), user
    seat.save(update_fields=["removed_at", "removed_by"])
    _revoke(member, amendment)
    notices.working_group_left(amendment, member)


def _dissolve(amendment: Amendment) -> None:
    """When the amendment ends, the working group's extra access ends with it."""
    for seat in amendment.working_group.active().select_related("user"):
        _revoke(seat.user, amendment)


# Transitions ---------------------------------------------------------------------------------

MEETING_FIELDS = ("meeting_date", "members_present", "members_total", "votes_for", "votes_against", "votes_abstain")


def _write_event(
    amendment: Amendment, *, user, action: str, from_stage: Stage | None, from_status: str, comment: str = "",
    meeting: dict | None = None,
) -> Event:  # fmt: skip
    """The one place an amendment's events are written, once the amendment holds its new stage and status."""
    return Event.objects.create(
        amendment=amendment, actor=user, action=action, from_stage=from_stage,
        to_stage=amendment.stage if amendment.status == AmendmentStatus.IN_PROGRESS else None,
        from_status=from_status, to_status=amendment.status, comment=comment,
        **{name: (meeting or {}).get(name) for name in MEETING_FIELDS},
    )  # fmt: skip


def members_of(stage: Stage, organization: Organization, on: datetime.date) -> int:
    """Who the stage's meeting counts: the body's sitting members that day, taken from the positions."""
    return sitting_members(organization, stage.body_kind, on=on)


def _check_meeting(amendment: Amendment, stage: Stage, data: dict) -> dict:
    """The meeting is valid: dated, counted, and quorate. Returns it with its number of members."""
    date, present = data.get("meeting_date"), data.get("members_present")
    noun = stage.members_noun
    if date is None or present is None:
        raise ValidationError(f"{stage.name}: cần ghi ngày họp và số {noun} có mặt.")
    if date > timezone.localdate():
        raise ValidationError({"meeting_date": "Ngày họp không thể sau hôm nay."})
    if stage.general_meeting:
        total = data.get("party_members")
        if not total:
            raise ValidationError({"party_members": "Cần ghi tổng số đảng viên được triệu tập."})
    else:
        total = members_of(stage, amendment.regulation.organization, date)
        if not total:
            raise ValidationError(
                f"Ngày {date:%d/%m/%Y} {stage.get_body_kind_display()} chưa có {noun} nào được ghi nhận; "
                "hãy cập nhật chức vụ của tổ chức trước khi ghi hội nghị."
            )
    if present > total:
        raise ValidationError(
            {"members_present": f"Số có mặt ({present}) không thể lớn hơn tổng số {noun} ({total}) vào ngày họp."}
        )
    needed = stage.quorum_of(total)
    if present < needed:
        raise ValidationError(
            {"members_present": f"Cần ít nhất {needed}/{total} {noun} có mặt ({stage.get_quorum_display()}); "
             f"mới có {present}."}
        )  # fmt: skip
    meeting = {name: value for name, value in data.items() if name in MEETING_FIELDS}
    return {**meeting, "members_total": total}


def _check_vote_counts(stage: Stage, meeting: dict) -> None:
    votes = [meeting.get("votes_for"), meeting.get("votes_against"), meeting.get("votes_abstain")]
    if any(v is None for v in votes):
        raise ValidationError("Cần ghi số tán thành, không tán thành và không biểu quyết.")
    if sum(votes) > meeting["members_present"]:
        raise ValidationError(
            {"votes_for": f"Tổng số phiếu ({sum(votes)}) lớn hơn số {stage.members_noun} có mặt "
             f"({meeting['members_present']})."}
        )  # fmt: skip


def _check_votes(stage: Stage, meeting: dict) -> None:
    _check_vote_counts(stage, meeting)
    # Điều lệ Đảng: a decision needs more than half of the sitting members, not of those present.
    if meeting["votes_for"] * 2 <= meeting["members_total"]:
        raise ValidationError(
            f"Chưa được thông qua: {meeting['votes_for']}/{meeting['members_total']} {stage.members_noun} tán thành, "
            f"chưa quá một nửa tổng số {stage.members_noun}."
        )


def _check_leaving(amendment: Amendment) -> None:
    """What must be done before the working group hands on its stage."""
    kind = amendment.stage.kind
    if kind == StageKind.DRAFTING and amendment.base_version_id and not amendment.changes.exists():
        raise ValidationError("Dự thảo chưa có thay đổi nào so với văn bản đang có hiệu lực.")
    if kind == StageKind.DRAFTING and not amendment.base_version_id and not amendment.draft.provisions.exists():
        raise ValidationError("Dự thảo chưa có điều nào.")
    if kind == StageKind.CONSULTATION:
        requests = list(amendment.requests.all())
        if not requests:
            raise ValidationError("Chưa gửi phiếu lấy ý kiến nào.")
        waiting = waiting_requests(requests)
        if waiting:
            names = ", ".join(r.recipient_name for r in waiting[:5])
            raise ValidationError(
                f"Còn {len(waiting)} nơi chưa trả lời và chưa hết hạn: {names}. "
                "Tổ công tác có thể kết thúc lấy ý kiến trước hạn ở trang “Lấy ý kiến”, ghi rõ lý do."
            )
    if kind == StageKind.SYNTHESIS:
        pending = amendment.comments.filter(parent__isnull=True, disposition__isnull=True).count()
        if pending:
            raise ValidationError(f"Còn {pending} ý kiến chưa được tiếp thu hoặc giải trình.")


@transaction.atomic
def amendment_transition(
    *, amendment: Amendment, user, action: str, expected_stage_id: int, comment: str = "",
    meeting_date: datetime.date | None = None, members_present: int | None = None, party_members: int | None = None,
    votes_for: int | None = None, votes_against: int | None = None, votes_abstain: int | None = None,
) -> Amendment:  # fmt: skip
    """Approve (or hand on), return for revision, or reject the amendment at its current stage.

    A meeting's number of members is not given: it is the body's sitting members on the meeting
    day (`members_of`), except at a meeting of all the party members (`party_members`).
    """
    amendment = _lock(amendment)
    if amendment.status != AmendmentStatus.IN_PROGRESS:
        raise ValidationError("Hồ sơ này không còn ở trong quy trình.")
    if amendment.stage_id != expected_stage_id:
        raise ValidationError(
            f"Hồ sơ đã được chuyển sang bước “{amendment.stage.name}”; thao tác của bạn chưa được ghi nhận."
        )
    _require(access.can_act_at_stage(user, amendment), "Bạn không thuộc cơ quan thực hiện bước này.")
    stage, comment = amendment.stage, comment.strip()
    stages = stages_for(amendment.regulation.organization)
    given = {
        "meeting_date": meeting_date, "members_present": members_present, "party_members": party_members,
        "votes_for": votes_for, "votes_against": votes_against, "votes_abstain": votes_abstain,
    }  # fmt: skip
    given = {name: value for name, value in given.items() if value is not None}
    meeting = None

    if action in (EventAction.SUBMIT, EventAction.APPROVE):
        if stage.by_working_group:
            _check_leaving(amendment)
            action = EventAction.SUBMIT
        if stage.records_meeting or stage.is_decision:
            meeting = _check_meeting(amendment, stage, given)
        if stage.is_decision:
            _check_votes(stage, meeting)
        later = [s for s in stages if s.order > stage.order]
        if later:
            amendment.stage = later[0]
        else:
            amendment.status = AmendmentStatus.ADOPTED
    elif action == EventAction.RETURN:
        if stage.kind == StageKind.DRAFTING:
            raise ValidationError("Dự thảo đang ở bước soạn thảo.")
        if not comment:
            raise ValidationError({"comment": "Cần ghi rõ nội dung yêu cầu chỉnh sửa."})
        if stage.records_meeting and given:
            meeting = _check_meeting(amendment, stage, given)
        amendment.stage = stages[0]
    elif action == EventAction.REJECT:
        if stage.by_working_group:
            raise ValidationError("Tổ công tác không quyết định việc không thông qua.")
        if not comment:
            raise ValidationError({"comment": "Cần ghi rõ lý do không thông qua."})
        if stage.records_meeting and given:
            meeting = _check_meeting(amendment, stage, given)
            if stage.kind == StageKind.DECISION and "votes_for" in meeting:
                _check_vote_counts(stage, meeting)
        amendment.status = AmendmentStatus.REJECTED
        amendment.closed_at = timezone.now()
        # Not adopting is a review too: the text stays, and the next review is due an interval later.
        regulation_services.regulation_reviewed(regulation=amendment.regulation, on=timezone.localdate())
    else:
        raise ValidationError("Thao tác không hợp lệ.")

    event = _write_event(
        amendment, user=user, action=action, from_stage=stage, from_status=AmendmentStatus.IN_PROGRESS,
        comment=comment, meeting=meeting,
    )  # fmt: skip
    if amendment.stage_id != stage.pk:
        amendment.stage_entered_at = timezone.now()
    amendment.save(update_fields=["stage", "status", "stage_entered_at", "closed_at"])
    notices.amendment_moved(amendment, event, actor=user)
    if not amendment.is_open:
        _dissolve(amendment)
    return amendment


def issue_defaults(amendment: Amendment, *, on: datetime.date) -> dict:
    """What the issue form starts from: the day, the Bí thư signing for the BCH. The number is the register's."""
    organization = amendment.regulation.organization
    signer = secretary(organization, on=on)
    return {
        "issued": on,
        "signer_authority": f"T/M {body_name(BodyKind.EXECUTIVE, organization.kind).upper()}",
        "signer_position": Role.SECRETARY.label.upper() if signer else "",
        "signer_name": (signer.get_full_name() or signer.username) if signer else "",
    }


def issue_number(amendment: Amendment, *, on: datetime.date) -> tuple[str, bool]:
    """The number the text will bear, and whether the register already holds it for this text (else it is
    the series' next, taken when the office confirms)."""
    held = numbering.reserved_for(amendment.draft)
    if held is not None:
        return held.number, True
    organization = amendment.regulation.organization
    return regulation_selectors.next_number(organization=organization, kind=amendment.draft.kind, year=on.year), False


@transaction.atomic
def amendment_number_reserve(*, amendment: Amendment, user) -> RegisteredNumber:
    """Issuance starts: the register holds the text's number for it until it is issued, or cancelled with a reason."""
    amendment = _lock(amendment)
    _require(access.can_issue(user, amendment), "Chỉ văn phòng cấp ủy ban hành văn bản đã được thông qua.")
    return numbering.version_number_reserve(version=amendment.draft, user=user)


def _issue_check(amendment: Amendment, values: dict) -> dict:
    """Every reason the office could not issue with these values, at once, field by field."""
    errors, issued = {}, values["issued"]
    if issued > timezone.localdate():
        errors["issued"] = ["Ngày ban hành không thể sau hôm nay."]
    adopted = amendment.events.filter(to_status=AmendmentStatus.ADOPTED).last()
    if adopted and adopted.meeting_date and issued < adopted.meeting_date:
        errors["issued"] = ["Ngày ban hành không thể trước ngày hội nghị thông qua."]
    number, _held = issue_number(amendment, on=issued)
    try:
        values = regulation_services.issue_check(version=amendment.draft, number=number, **values)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values


def amendment_issue_preview(*, amendment: Amendment, user, **values) -> dict:
    """Check issuing without doing it: the values the text would carry, for the preview and the confirmation."""
    _require(access.can_issue(user, amendment), "Chỉ văn phòng cấp ủy ban hành văn bản đã được thông qua.")
    return _issue_check(amendment, values)


@transaction.atomic
def amendment_issue(
    *, amendment: Amendment, user, issued: datetime.date, effective: datetime.date | None = None,
    signer_authority: str, signer_position: str, signer_name: str,
) -> Amendment:  # fmt: skip
    """After the BCH adopts: the office gives the date and the signature, the register the number, and the
    draft comes into force. The text carries exactly these values, never its predecessor's signer."""
    amendment = _lock(amendment)
    _require(access.can_issue(user, amendment), "Chỉ văn phòng cấp ủy ban hành văn bản đã được thông qua.")
    values = _issue_check(
        amendment,
        {"issued": issued, "effective": effective, "signer_authority": signer_authority,
         "signer_position": signer_position, "signer_name": signer_name},
    )  # fmt: skip
    values.pop("number")
    amendment.draft = regulation_services.version_issue(version=amendment.draft, user=user, **values)
    amendment.status = AmendmentStatus.ISSUED
    amendment.closed_at = timezone.now()
    regulation_services.regulation_reviewed(regulation=amendment.regulation, on=issued)
    amendment.save(update_fields=["status", "closed_at"])
    event = _write_event(
        amendment, user=user, action=EventAction.ISSUE, from_stage=amendment.stage, from_status=AmendmentStatus.ADOPTED,
        comment=f"Ban hành {amendment.draft.number}",
    )  # fmt: skip
    _dissolve(amendment)
    notices.amendment_issued(amendment, event, actor=user)
    return amendment


# The draft -----------------------------------------------------------------------------------


def _draft_article(amendment: Amendment, key) -> Provision:
    article = Provision.objects.filter(version=amendment.draft_id, key=key, kind=ProvisionKind.ARTICLE).first()
    if article is None:
        raise ValidationError("Không tìm thấy điều này trong dự thảo.")
    return article


def _record(amendment, user, article, kind, reason) -> ArticleChange:
    return ArticleChange.objects.create(
        amendment=amendment, article_key=article.key, article_label=article.label, kind=kind, reason=reason.strip(),
        author=user,
    )  # fmt: skip


@transaction.atomic
def draft_article_update(*, amendment, user, key, heading, body, reason, expected_revision) -> ArticleChange:
    amendment = _lock(amendment)
    _require(access.can_edit_draft(user, amendment), "Dự thảo chỉ được sửa ở bước soạn thảo hoặc tổng hợp.")
    article = editing.article_update(
        article=_draft_article(amendment, key), user=user, heading=heading, body=body, reason=reason,
        expected_revision=expected_revision,
    )  # fmt: skip
    return _record(amendment, user, article, ArticleChange.Kind.MODIFIED, reason)


@transaction.atomic
def draft_article_insert(*, amendment, user, after_key, heading, body, reason, parent_id=None) -> ArticleChange:
    amendment = _lock(amendment)
    _require(access.can_edit_draft(user, amendment), "Dự thảo chỉ được sửa ở bước soạn thảo hoặc tổng hợp.")
    after = _draft_article(amendment, after_key) if after_key else None
    parent = Provision.objects.filter(version=amendment.draft_id, pk=parent_id).first() if parent_id else None
    article = editing.article_insert(
        version=amendment.draft, after=after, parent=parent, user=user, heading=heading, body=body, reason=reason
    )
    return _record(amendment, user, article, ArticleChange.Kind.ADDED, reason)


@transaction.atomic
def draft_article_remove(*, amendment, user, key, reason, expected_revision) -> ArticleChange:
    amendment = _lock(amendment)
    _require(access.can_edit_draft(user, amendment), "Dự thảo chỉ được sửa ở bước soạn thảo hoặc tổng hợp.")
    article = _draft_article(amendment, key)
    change = _record(amendment, user, article, ArticleChange.Kind.REMOVED, reason)
    editing.article_remove(article=article, user=user, reason=reason, expected_revision=expected_revision)
    return change


@transaction.atomic
def draft_article_move(*, amendment, user, key, after_key, reason, parent_id=None) -> ArticleChange:
    amendment = _lock(amendment)
    _require(access.can_edit_draft(user, amendment), "Dự thảo chỉ được sửa ở bước soạn thảo hoặc tổng hợp.")
    after = _draft_article(amendment, after_key) if after_key else None
    parent = Provision.objects.filter(version=amendment.draft_id, pk=parent_id).first() if parent_id else None
    article = editing.article_move(
        article=_draft_article(amendment, key), after=after, parent=parent, user=user, reason=reason
    )
    return _record(amendment, user, article, ArticleChange.Kind.MOVED, reason)


# Consultation and synthesis ------------------------------------------------------------------


@transaction.atomic
def requests_create(*, amendment, user, due: datetime.date, users=(), organizations=()) -> list[ConsultationRequest]:
    """Ask members of the organization and subordinate organizations for their opinion by a date."""
    amendment = _lock(amendment)
    _require(access.can_consult(user, amendment), "Chỉ tổ công tác gửi phiếu lấy ý kiến, ở bước lấy ý kiến.")
    if due < timezone.localdate():
        raise ValidationError({"due": "Hạn trả lời không thể trước hôm nay."})
    if not users and not organizations:
        raise ValidationError("Hãy chọn ít nhất một người hoặc một tổ chức để lấy ý kiến.")
    organization = amendment.regulation.organization
    members = set(Position.objects.active().filter(body__organization=organization).values_list("user_id", flat=True))
    outsiders = [str(person) for person in users if person.pk not in members]
    if outsiders:
        raise ValidationError(f"Không phải thành viên của {organization.name}: {', '.join(outsiders)}.")
    strangers = [o.name for o in organizations if not o.is_below(organization)]
    if strangers:
        raise ValidationError(f"Không phải tổ chức trực thuộc {organization.name}: {', '.join(strangers)}.")
    asked_users = set(amendment.requests.values_list("user_id", flat=True))
    asked_organizations = set(amendment.requests.values_list("organization_id", flat=True))
    created = [
        ConsultationRequest(amendment=amendment, user=person, due=due, created_by=user)
        for person in users
        if person.pk not in asked_users
    ] + [
        ConsultationRequest(amendment=amendment, organization=org, due=due, created_by=user)
        for org in organizations
        if org.pk not in asked_organizations
    ]
    requests = ConsultationRequest.objects.bulk_create(created)
    counts.changed("amendments")  # a bulk insert sends no signal: those asked have something new to answer
    notices.consultation_sent(amendment, requests, actor=user)
    return requests


@transaction.atomic
def consultation_close(*, amendment: Amendment, user, reason: str) -> Amendment:
    """End the consultation before every request is answered or due, for a reason the event records.

    The amendment moves on to the next stage (synthesis) as handing it on would; the requests still
    waiting stay unanswered and are no longer asked for (requests are answered at the consultation
    stage only), so the record shows who was asked and did not answer, and why the office went on.
    """
    amendment = _lock(amendment)
    stage = amendment.stage
    if amendment.status != AmendmentStatus.IN_PROGRESS or stage.kind != StageKind.CONSULTATION:
        raise ValidationError("Hồ sơ không còn ở bước lấy ý kiến.")
    _require(
        access.can_close_consultation(user, amendment), "Chỉ tổ công tác kết thúc việc lấy ý kiến, ở bước lấy ý kiến."
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Cần ghi rõ lý do kết thúc lấy ý kiến trước hạn."})
    waiting = waiting_requests(amendment.requests.select_related("user", "organization"))
    if not waiting:
        raise ValidationError("Không còn nơi nào đang chờ trả lời trong hạn: hãy chuyển bước như thường lệ.")
    later = [s for s in stages_for(amendment.regulation.organization) if s.order > stage.order]
    if not later:
        raise ValidationError("Quy trình không có bước nào sau bước lấy ý kiến.")
    amendment.stage, amendment.stage_entered_at = later[0], timezone.now()
    amendment.save(update_fields=["stage", "stage_entered_at"])
    names = ", ".join(request.recipient_name for request in waiting)
    event = _write_event(
        amendment, user=user, action=EventAction.SUBMIT, from_stage=stage, from_status=AmendmentStatus.IN_PROGRESS,
        comment=f"Kết thúc lấy ý kiến trước hạn; {len(waiting)} nơi chưa trả lời: {names}. Lý do: {reason}",
    )  # fmt: skip
    notices.amendment_moved(amendment, event, actor=user)
    return amendment


def _request_for(amendment, user, request_id=None) -> ConsultationRequest:
    requests = access.open_requests_for(user, amendment)
    if request_id is not None:
        requests = [r for r in requests if r.pk == int(request_id)]
    if not requests:
        raise PermissionDenied("Bạn không có phiếu lấy ý kiến nào đang mở cho dự thảo này.")
    return requests[0]


class PendingComment(NamedTuple):
    """A comment still in its box when the answer is sent; None as the article: the whole draft."""

    article_key: uuid.UUID | None
    text: str


def _comment_create(amendment, user, request, *, text: str, article_key=None) -> Comment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Hãy nhập nội dung góp ý."})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError({"text": COMMENT_TOO_LONG})
    label = ""
    if article_key:
        label = _draft_article(amendment, article_key).label
    return Comment.objects.create(
        amendment=amendment, request=request, author=user, article_key=article_key or None, article_label=label,
        text=text,
    )  # fmt: skip


@transaction.atomic
def comment_add(*, amendment, user, text: str, article_key=None, request_id=None) -> Comment:
    amendment = _lock(amendment)
    _require(access.can_comment(user, amendment), "Dự thảo không ở bước lấy ý kiến, hoặc bạn không được hỏi ý kiến.")
    request = _request_for(amendment, user, request_id)
    return _comment_create(amendment, user, request, text=text, article_key=article_key)


@transaction.atomic
def reply_add(*, comment: Comment, user, text: str) -> Comment:
    amendment = _lock(comment.amendment)
    _require(access.can_reply(user, amendment), "Không thể trả lời ý kiến ở bước này.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Hãy nhập nội dung trả lời."})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError({"text": COMMENT_TOO_LONG})
    root = comment.parent or comment
    reply = Comment.objects.create(
        amendment=amendment, parent=root, author=user, article_key=root.article_key, article_label=root.article_label,
        text=text,
    )  # fmt: skip
    notices.reply_added(amendment, reply, comment, actor=user)
    return reply


@transaction.atomic
def request_answer(
    *, amendment, user, request_id=None, no_comment: bool = False, pending: Sequence[PendingComment] = ()
) -> ConsultationRequest:
    """Send one's opinion (the comments made), or answer "không có ý kiến"; the request closes.

    `pending` are the comments still in their boxes: saved with the answer, or nothing is saved.
    """
    if len(pending) > PENDING_MAX:
        raise ValidationError(f"Mỗi lần gửi tối đa {PENDING_MAX} góp ý chưa lưu; hãy lưu bớt từng góp ý trước.")
    amendment = _lock(amendment)
    _require(access.can_comment(user, amendment), "Dự thảo không ở bước lấy ý kiến, hoặc bạn không được hỏi ý kiến.")
    request = ConsultationRequest.objects.select_for_update().get(pk=_request_for(amendment, user, request_id).pk)
    if no_comment and pending:
        raise ValidationError("Đồng chí còn góp ý chưa lưu; hãy gửi ý kiến thay vì chọn “không có ý kiến”.")
    for comment in pending:
        _comment_create(amendment, user, request, text=comment.text, article_key=comment.article_key)
    has_comments = request.comments.exists()
    if no_comment and has_comments:
        raise ValidationError("Bạn đã có ý kiến góp ý; hãy gửi ý kiến thay vì chọn “không có ý kiến”.")
    if not no_comment and not has_comments:
        raise ValidationError("Chưa có ý kiến nào; hãy góp ý hoặc chọn “không có ý kiến”.")
    request.answered_at, request.answered_by, request.no_comment = timezone.now(), user, no_comment
    request.save(update_fields=["answered_at", "answered_by", "no_comment"])
    notices.answer_received(amendment, request, actor=user)
    return request


@transaction.atomic
def disposition_set(*, comment: Comment, user, kind: str, explanation: str = "", change_id=None) -> Disposition:
    amendment = _lock(comment.amendment)
    _require(access.can_dispose(user, amendment), "Chỉ tổ công tác tiếp thu, giải trình, ở bước tổng hợp.")
    if comment.parent_id:
        raise ValidationError("Chỉ ý kiến góp ý (không phải trả lời) cần tiếp thu hoặc giải trình.")
    explanation = explanation.strip()
    if kind not in DispositionKind.values:
        raise ValidationError({"kind": "Hãy chọn tiếp thu hoặc giải trình."})
    if kind == DispositionKind.EXPLAINED and not explanation:
        raise ValidationError({"explanation": "Giải trình cần nêu rõ lý do không tiếp thu."})
    change = None
    if change_id:
        change = amendment.changes.filter(pk=change_id).first()
        if change is None:
            raise ValidationError({"change": "Thay đổi được chọn không thuộc dự thảo này."})
    disposition = Disposition.objects.filter(comment=comment).first() or Disposition(comment=comment)
    disposition.kind, disposition.explanation, disposition.change, disposition.decided_by = (
        kind, explanation, change, user
    )  # fmt: skip
    disposition._history_user = user  # the history keeps the previous one (Disposition.history)
    disposition.save()
    notices.comment_disposed(amendment, disposition, actor=user)
    return disposition


# Suggested wording ---------------------------------------------------------------------------

# A whole article's body may be proposed: as long as the article editor takes.
SUGGESTION_MAX_LENGTH = 50_000
SUGGESTION_TOO_LONG = "Câu chữ đề nghị dài tối đa 50.000 ký tự."
NO_SUCH_PASSAGE = "Không tìm thấy điều, khoản, điểm này trong dự thảo; hãy tải lại trang."


class Suggested(NamedTuple):
    """A suggestion checked and not yet saved: what the preview shows, and what `suggestion_add` saves."""

    passage: Passage
    kind: str
    wording: str
    reason: str

    def as_comment(self, **fields) -> Comment:
        passage = self.passage
        return Comment(
            article_key=passage.article.key, article_label=passage.article.label,
            provision_key=None if passage.is_article else passage.node.key, provision_label=passage.name,
            text=self.reason, suggestion=self.kind, proposed_text=self.wording, base_text=passage.text, **fields,
        )  # fmt: skip


class StaleSuggestion(ValidationError):
    """The passage changed after the suggestion was made: both texts, to show side by side."""

    def __init__(self, message: str, *, comment: Comment, current_text: str):
        super().__init__(message, code="stale_suggestion")
        self.comment, self.current_text = comment, current_text


def suggestion_check(*, amendment, user, key, kind: str, proposed_text: str, reason: str) -> Suggested:
    """Check a suggested wording for an article, clause or point of the draft, without saving it."""
    _require(access.can_comment(user, amendment), "Dự thảo không ở bước lấy ý kiến, hoặc bạn không được hỏi ý kiến.")
    if kind not in SuggestionKind.values:
        raise ValidationError({"kind": "Hãy chọn sửa câu chữ, bổ sung sau hoặc bỏ."})
    if len(proposed_text) > SUGGESTION_MAX_LENGTH:
        raise ValidationError({"proposed_text": SUGGESTION_TOO_LONG})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Hãy nêu lý do đề nghị."})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationError({"reason": COMMENT_TOO_LONG})
    passage = find_passage(amendment.draft_id, key)
    if passage is None:
        raise ValidationError(NO_SUCH_PASSAGE)
    wording = "" if kind == SuggestionKind.REMOVE else clean_wording(passage.node.kind, proposed_text)
    if kind != SuggestionKind.REMOVE and not wording:
        raise ValidationError({"proposed_text": "Hãy nhập câu chữ đề nghị."})
    if kind == SuggestionKind.REPLACE and wording == passage.text:
        raise ValidationError({"proposed_text": "Câu chữ đề nghị giống hệt dự thảo."})
    # Read as the working group's edit would read it, so that what is sent can be applied.
    article = passage.article
    if not passage.is_article:
        body = body_with(passage, kind, wording)
        editing.article_check(version=amendment.draft, label=article.label, heading=article.heading, body=body)
    elif kind == SuggestionKind.REPLACE:
        editing.article_check(version=amendment.draft, label=article.label, heading=article.heading, body=wording)
    elif kind == SuggestionKind.INSERT_AFTER:
        heading, body = split_heading(wording)
        editing.article_check(version=amendment.draft, label=article.label, heading=heading, body=body)
    return Suggested(passage, kind, wording, reason)


@transaction.atomic
def suggestion_add(*, amendment, user, key, kind: str, proposed_text: str, reason: str, request_id=None) -> Comment:
    """Đề nghị sửa câu chữ: an opinion that proposes new wording for a passage, a new one after it, or its
    removal; kept with the passage's text as it reads now."""
    amendment = _lock(amendment)
    suggested = suggestion_check(
        amendment=amendment, user=user, key=key, kind=kind, proposed_text=proposed_text, reason=reason
    )
    request = _request_for(amendment, user, request_id)
    comment = suggested.as_comment(amendment=amendment, request=request, author=user)
    comment.save()
    return comment


@transaction.atomic
def suggestions_accept(*, amendment, user, comment_ids: Sequence[int]) -> list[Disposition]:
    """Tiếp thu: apply suggestions to the draft, each as an edit whose reason names the opinion, and record
    them as taken in. All or none: the first that cannot be applied refuses the whole batch, by name."""
    if len(comment_ids) > PENDING_MAX:
        raise ValidationError(f"Mỗi lần tiếp thu tối đa {PENDING_MAX} đề nghị.")
    amendment = _lock(amendment)
    _require(
        access.can_dispose(user, amendment) and access.can_edit_draft(user, amendment),
        "Chỉ tổ công tác tiếp thu, giải trình, ở bước tổng hợp.",
    )
    comments = list(
        amendment.comments.filter(pk__in=set(comment_ids), parent__isnull=True)
        .exclude(suggestion="")
        .select_related("author", "disposition")
        .order_by("created_at", "pk")
    )
    if not comments or len(comments) != len(set(comment_ids)):
        raise ValidationError("Không tìm thấy đề nghị sửa câu chữ được chọn trong hồ sơ này.")
    several = len(comments) > 1
    dispositions = []
    for comment in comments:
        try:
            change = _suggestion_apply(amendment, user, comment)
        except StaleSuggestion as error:
            raise StaleSuggestion(
                _refused(comment, error, several), comment=comment, current_text=error.current_text
            ) from error
        except ValidationError as error:
            raise ValidationError(_refused(comment, error, several)) from error
        dispositions.append(
            disposition_set(
                comment=comment,
                user=user,
                kind=DispositionKind.ACCEPTED,
                explanation="Đã áp dụng câu chữ đề nghị vào dự thảo.",
                change_id=change.pk,
            )  # fmt: skip
        )
    return dispositions


def _refused(comment: Comment, error: ValidationError, several: bool) -> str:
    also = " Chưa đề nghị nào được áp dụng." if several else ""
    return f"Đề nghị của {comment.author} về {comment.place_as_seen}: {' '.join(error.messages)}{also}"


def _suggestion_apply(amendment, user, comment: Comment) -> ArticleChange:
    if hasattr(comment, "disposition") and comment.disposition.kind == DispositionKind.ACCEPTED:
        raise ValidationError("đã được tiếp thu.")
    passage = find_passage(amendment.draft_id, comment.provision_key or comment.article_key)
    if passage is None:
        raise ValidationError("đoạn được đề nghị sửa không còn trong dự thảo.")
    if passage.text != comment.base_text:
        raise StaleSuggestion(
            "đoạn này đã được sửa sau khi góp ý; hãy đối chiếu hai bản và sửa dự thảo trực tiếp, hoặc giải trình.",
            comment=comment, current_text=passage.text,
        )  # fmt: skip
    article, kind, wording = passage.article, comment.suggestion, comment.proposed_text
    reason = f"Tiếp thu ý kiến của {comment.author} ({passage.place}): {comment.text}"
    edit = {"amendment": amendment, "user": user, "reason": reason}
    if not passage.is_article or kind == SuggestionKind.REPLACE:
        body = body_with(passage, kind, wording) if not passage.is_article else wording
        return draft_article_update(
            **edit, key=article.key, heading=article.heading, body=body, expected_revision=article.revision
        )
    if kind == SuggestionKind.INSERT_AFTER:
        heading, body = split_heading(wording)
        return draft_article_insert(**edit, after_key=article.key, heading=heading, body=body)
    return draft_article_remove(**edit, key=article.key, expected_revision=article.revision)


# The papers filed with the amendment ---------------------------------------------------------------------

PAPER_CAPS = {"subject": 1_000, "body": 100_000, "recipients": 5_000, "signer_authority": 100,
              "signer_position": 100, "signer_name": 100}  # fmt: skip


def _paper_clean(values: dict) -> dict:
    cleaned, errors = {}, {}
    for name, cap in PAPER_CAPS.items():
        value = "\n".join(" ".join(line.split()) for line in (values.get(name) or "").splitlines()).strip()
        if name in ("subject", "signer_authority", "signer_position", "signer_name"):
            value = " ".join(value.split()) if name != "signer_position" else value
        if len(value) > cap:
            errors[name] = f"Dài tối đa {cap:,} ký tự.".replace(",", ".")
        cleaned[name] = value
    for name, message in (("subject", "Cần ghi trích yếu."), ("body", "Cần có nội dung.")):
        if not cleaned[name]:
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    return cleaned


def _paper_for_writing(amendment: Amendment, kind: str, user) -> Paper | None:
    _require(access.can_prepare_papers(user, amendment), "Chỉ tổ công tác và văn phòng soạn văn bản kèm hồ sơ.")
    if kind not in PaperKind.values:
        raise ValidationError("Không có loại văn bản này.")
    reason = papers.unavailable(amendment, kind)
    if reason:
        raise ValidationError(reason)
    paper = Paper.objects.filter(amendment=amendment, kind=kind).first()
    if paper is not None and paper.is_final:
        raise ValidationError(f"{paper.get_kind_display()} đã ban hành số {paper.number}; không sửa được nữa.")
    return paper


@transaction.atomic
def paper_save(*, amendment: Amendment, kind: str, user, expected_revision: int, **values) -> Paper:
    """Keep the office's wording of a paper as its draft. Refused if someone saved it since the form was opened."""
    amendment = _lock(amendment)
    paper = _paper_for_writing(amendment, kind, user)
    if (paper.revision if paper else 0) != expected_revision:
        raise ValidationError(
            "Văn bản vừa được người khác cập nhật; nội dung của bạn chưa được lưu. Hãy tải lại trang và sửa lại."
        )
    cleaned = _paper_clean(values)
    paper = paper or Paper(amendment=amendment, kind=kind)
    for name, value in cleaned.items():
        setattr(paper, name, value)
    paper.revision += 1
    paper.updated_by = user
    paper.save()
    return paper


@transaction.atomic
def paper_finalize(*, amendment: Amendment, kind: str, user, expected_revision: int) -> Paper:
    """Issue the paper as last saved (or as generated, if never edited): it takes the next number of its series
    from the register, is printed once as PDF and DOCX, and the files are kept; it is no longer edited."""
    amendment = _lock(amendment)
    paper = _paper_for_writing(amendment, kind, user)
    _require(access.can_issue_paper(user, amendment), "Chỉ văn phòng cấp ủy ban hành văn bản và lấy số.")
    if (paper.revision if paper else 0) != expected_revision:
        raise ValidationError("Văn bản vừa được người khác cập nhật; hãy tải lại trang và kiểm tra trước khi ban hành.")
    if paper is None:
        paper = Paper(
            amendment=amendment, kind=kind, updated_by=user, **_paper_clean(papers.generated(amendment, kind))
        )
    today = timezone.localdate()
    entry = numbering.number_reserve(
        organization=amendment.regulation.organization, code=papers.SERIES[kind], year=today.year,
        title=f"{papers.KIND_LINE[kind]} {paper.subject}", user=user,
    )  # fmt: skip
    entry = numbering.number_confirm(entry=entry, issued=today, signer=paper.signer_name)
    page = papers.sheet(amendment, kind, {name: getattr(paper, name) for name in papers.EDITABLE},
                        number=entry.number, issued=today)  # fmt: skip
    paper.pdf.save(
        papers.filename(amendment, kind, entry.number, "pdf"), ContentFile(papers.render_pdf(page)), save=False
    )
    paper.docx.save(
        papers.filename(amendment, kind, entry.number, "docx"), ContentFile(papers.render_docx(page)), save=False
    )
    paper.number, paper.issued, paper.status, paper.finalized_by = entry, today, PaperStatus.FINAL, user
    paper.revision += 1
    paper.save()
    return paper


# A copy returned in Word -----------------------------------------------------------------------------------


def returned_copy_check(*, amendment, user, opinions: Sequence) -> list:
    """The opinions read from a returned copy (reviews/word.py), each suggestion checked as `suggestion_check`
    checks a typed one; one that cannot be applied as it stands is kept as a comment that quotes it."""
    _require(access.can_comment(user, amendment), "Dự thảo không ở bước lấy ý kiến, hoặc bạn không được hỏi ý kiến.")
    if len(opinions) > PENDING_MAX:
        raise ValidationError(f"Bản gửi lại có {len(opinions)} ý kiến (tối đa {PENDING_MAX} một lần).")
    checked = []
    for opinion in opinions:
        if opinion.suggestion:
            try:
                suggestion_check(
                    amendment=amendment, user=user, key=opinion.passage_key, kind=opinion.suggestion,
                    proposed_text=opinion.proposed_text, reason=opinion.text,
                )  # fmt: skip
            except ValidationError as error:
                wording = f"Đề nghị sửa thành: “{opinion.proposed_text}”." if opinion.proposed_text else "Đề nghị bỏ."
                refused = f"(Không áp dụng được như câu chữ đề nghị: {' '.join(error.messages)})"
                opinion = dataclasses.replace(
                    opinion, text=f"{opinion.text}\n{wording}\n{refused}", suggestion="", proposed_text="", base_text=""
                )
        checked.append(opinion)
    return checked


@transaction.atomic
def returned_copy_save(*, amendment, user, opinions: Sequence, request_id=None) -> list[Comment]:
    """Save the opinions read from a returned copy as the person's (or organization's) opinions: all or none."""
    if len(opinions) > PENDING_MAX:
        raise ValidationError(f"Bản gửi lại có {len(opinions)} ý kiến (tối đa {PENDING_MAX} một lần).")
    amendment = _lock(amendment)
    _require(access.can_comment(user, amendment), "Dự thảo không ở bước lấy ý kiến, hoặc bạn không được hỏi ý kiến.")
    request = _request_for(amendment, user, request_id)
    saved = []
    for opinion in opinions:
        try:
            saved.append(_returned_opinion_save(amendment, user, request, opinion))
        except ValidationError as error:
            message = f"Ý kiến về {opinion.place}: {' '.join(error.messages)} Chưa ý kiến nào được lưu."
            raise ValidationError(message) from error
    return saved


def _returned_opinion_save(amendment, user, request, opinion) -> Comment:
    if opinion.suggestion:
        suggested = suggestion_check(
            amendment=amendment, user=user, key=opinion.passage_key, kind=opinion.suggestion,
            proposed_text=opinion.proposed_text, reason=opinion.text,
        )  # fmt: skip
        comment = suggested.as_comment(amendment=amendment, request=request, author=user)
        comment.save()
        return comment
    text = opinion.text.strip()
    if not text:
        raise ValidationError("Ý kiến trống.")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(COMMENT_TOO_LONG)
    passage = find_passage(amendment.draft_id, opinion.passage_key) if opinion.key else None
    if opinion.key and passage is None:
        raise ValidationError(NO_SUCH_PASSAGE)
    place = {}
    if passage is not None:
        place = {
            "article_key": passage.article.key, "article_label": passage.article.label,
            "provision_key": None if passage.is_article else passage.node.key, "provision_label": passage.name,
        }  # fmt: skip
    return Comment.objects.create(amendment=amendment, request=request, author=user, text=text, **place)
