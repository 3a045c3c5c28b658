"""Who is told of each step of an amendment, called at the end of the step's service, in its transaction.

Each notice is keyed by the step's own row (the event, the request, the comment), so a step told again tells
nobody twice; whoever took the step is not told; a person with several roles hears once per step, by the first
of them that names them (acting at the new stage before following the dossier). Followers who muted a dossier
or regulation hear nothing through following it, but still what their role requires.
"""

import hashlib

from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationReason as R
from notifications.reminders import People
from notifications.services import followers, follows_add, notify_many, unfollow
from organizations.access import can_view_organization
from organizations.models import body_name
from regulations.notices import regulation_announce

from .models import (
    Amendment,
    AmendmentStatus,
    Comment,
    ConsultationRequest,
    Disposition,
    DispositionKind,
    Event,
    EventAction,
    StageKind,
)


def _working_group(amendment: Amendment) -> set[int]:
    return set(amendment.working_group.active().values_list("user_id", flat=True))


def _told(amendment: Amendment, recipients, *, reason: str, period: str, title: str, body: str, url: str, actor):
    return notify_many(
        recipients, reason=reason, subject=f"amendment:{amendment.pk}", period=period, title=title, body=body,
        url=url, actor=actor, organization_id=amendment.regulation.organization_id,
    )  # fmt: skip


def _detail(amendment: Amendment) -> str:
    return reverse("reviews:detail", args=[amendment.pk])


def amendment_started(amendment: Amendment, *, actor) -> None:
    """Its creator follows it; those who follow the regulation hear that it is being amended."""
    follows_add(user_ids=[actor.pk], target=amendment)
    regulation = amendment.regulation
    notify_many(
        followers(regulation), reason=R.AMENDMENT_STARTED, subject=f"regulation:{regulation.pk}",
        period=f"amendment:{amendment.pk}", title=f"Lập hồ sơ sửa đổi, bổ sung: {regulation.title}",
        body=f"{regulation.organization.name} lập hồ sơ “{amendment.title}”; bước đầu tiên: {amendment.stage.name}.",
        url=_detail(amendment), actor=actor, organization_id=regulation.organization_id,
    )  # fmt: skip


def working_group_joined(amendment: Amendment, member) -> None:
    follows_add(user_ids=[member.pk], target=amendment)


def working_group_left(amendment: Amendment, member) -> None:
    """One who reads the dossier only as a member of the group stops following it when they leave it."""
    if not can_view_organization(member, amendment.regulation.organization):
        unfollow(user=member, target=amendment)


def amendment_moved(amendment: Amendment, event: Event, *, actor) -> None:
    """A transition: the body acting at the new stage, the working group when it is returned or rejected, the
    regulation's people when it is adopted; and the dossier's followers each time."""
    period, url = f"event:{event.pk}", _detail(amendment)
    said = f"\nÝ kiến: {event.comment}" if event.comment else ""
    if amendment.status == AmendmentStatus.ADOPTED:
        votes = f" ({event.votes_for}/{event.members_total} tán thành)" if event.votes_for is not None else ""
        regulation_announce(
            regulation=amendment.regulation, reason=R.REGULATION_ADOPTED, period=period,
            title=f"Đã thông qua: {amendment.title}",
            body=f"{event.from_stage.name}{votes}. Văn phòng cấp ủy hoàn thiện và ban hành văn bản.{said}",
            url=url, actor=actor, also=followers(amendment),
        )  # fmt: skip
    elif event.action == EventAction.RETURN:
        _told(
            amendment, _working_group(amendment) | followers(amendment), reason=R.AMENDMENT_RETURNED, period=period,
            title=f"Trả lại để chỉnh sửa: {amendment.title}",
            body=f"{event.from_stage.name} trả dự thảo về bước “{amendment.stage.name}”.\n"
            f"Nội dung yêu cầu chỉnh sửa: {event.comment}",
            url=url, actor=actor,
        )  # fmt: skip
    elif event.action == EventAction.REJECT:
        _told(
            amendment, _working_group(amendment) | followers(amendment), reason=R.AMENDMENT_REJECTED, period=period,
            title=f"Không thông qua: {amendment.title}",
            body=f"{event.from_stage.name} không thông qua dự thảo; hồ sơ kết thúc.\nLý do: {event.comment}",
            url=url, actor=actor,
        )  # fmt: skip
    else:
        stage, organization = amendment.stage, amendment.regulation.organization
        if stage.by_working_group:
            acting, who = _working_group(amendment), "tổ công tác"
        else:
            people = People(timezone.localdate(), organization_ids=[organization.pk])
            acting, who = people.body(organization.pk, stage.body_kind), body_name(stage.body_kind, organization.kind)
        moved = f"Hồ sơ chuyển từ bước “{event.from_stage.name}” sang bước “{stage.name}”, chờ {who} xử lý.{said}"
        told = _told(
            amendment, acting, reason=R.STAGE_REACHED, period=period,
            title=f"Chờ xử lý ở bước “{stage.name}”: {amendment.title}", body=moved, url=url, actor=actor,
        )  # fmt: skip
        _told(
            amendment, followers(amendment) - told, reason=R.AMENDMENT_MOVED, period=period,
            title=f"{amendment.title}: chuyển sang bước “{stage.name}”", body=moved, url=url, actor=actor,
        )  # fmt: skip


def amendment_issued(amendment: Amendment, event: Event, *, actor) -> None:
    version, regulation = amendment.draft, amendment.regulation
    effective = f", có hiệu lực từ ngày {version.effective:%d/%m/%Y}" if version.effective else ""
    regulation_announce(
        regulation=regulation, reason=R.REGULATION_ISSUED, period=f"event:{event.pk}",
        title=f"Ban hành {version.number}: {regulation.title}",
        body=f"{regulation.title} được ban hành ngày {version.issued:%d/%m/%Y}{effective}.",
        url=reverse("regulations:version", args=[version.pk]), actor=actor, also=followers(amendment),
    )  # fmt: skip


def consultation_sent(amendment: Amendment, requests: list[ConsultationRequest], *, actor) -> None:
    """Each person asked, and the office and secretaries of each organization asked (who answer for it)."""
    if not requests:
        return
    recipients = {request.user_id for request in requests if request.user_id}
    organization_ids = {request.organization_id for request in requests if request.organization_id}
    if organization_ids:
        people = People(timezone.localdate(), organization_ids=organization_ids)
        for org_id in organization_ids:
            recipients |= people.office(org_id) | people.secretaries.get(org_id, set())
    due = min(request.due for request in requests)
    _told(
        amendment, recipients, reason=R.CONSULTATION_REQUESTED, period=f"requests:{min(r.pk for r in requests)}",
        title=f"Đề nghị góp ý trước ngày {due:%d/%m/%Y}: {amendment.title}",
        body=f"{amendment.regulation.organization.name} đề nghị đồng chí (hoặc tổ chức đồng chí phụ trách) góp ý "
        f"dự thảo “{amendment.title}”. Hạn trả lời: {due:%d/%m/%Y}.",
        url=reverse("reviews:draft", args=[amendment.pk]), actor=actor,
    )  # fmt: skip


def answer_received(amendment: Amendment, request: ConsultationRequest, *, actor) -> None:
    if request.no_comment:
        what = "không có ý kiến"
    else:
        what = f"gửi {request.comments.filter(parent__isnull=True).count()} ý kiến góp ý"
    _told(
        amendment, _working_group(amendment), reason=R.ANSWER_RECEIVED, period=f"request:{request.pk}",
        title=f"{request.recipient_name} {what}: {amendment.title}",
        body=f"Trả lời phiếu lấy ý kiến (hạn {request.due:%d/%m/%Y}) lúc "
        f"{timezone.localtime(request.answered_at):%H:%M %d/%m/%Y}.",
        url=reverse("reviews:consultation", args=[amendment.pk]), actor=actor,
    )  # fmt: skip


def _where(comment: Comment) -> str:
    return f"Điều {comment.article_label}" if comment.article_label else "toàn văn dự thảo"


def _comment_url(amendment: Amendment, comment: Comment) -> str:
    page = "reviews:synthesis" if amendment.stage.kind == StageKind.SYNTHESIS else "reviews:draft"
    return f"{reverse(page, args=[amendment.pk])}#y-kien-{comment.pk}"


def reply_added(amendment: Amendment, reply: Comment, replied_to: Comment, *, actor) -> None:
    """The author of the comment replied to, and of the thread's first comment."""
    root = reply.parent
    _told(
        amendment, {root.author_id, replied_to.author_id}, reason=R.COMMENT_REPLIED, period=f"comment:{reply.pk}",
        title=f"{actor} trả lời ý kiến về {_where(root)}: {amendment.title}", body=reply.text,
        url=_comment_url(amendment, root), actor=actor,
    )  # fmt: skip


def comment_disposed(amendment: Amendment, disposition: Disposition, *, actor) -> None:
    """The comment's author hears how it was dealt with; decided again differently, they hear again."""
    comment = disposition.comment
    decided = hashlib.sha1(f"{disposition.kind}\n{disposition.explanation}".encode()).hexdigest()[:16]
    how = "được tiếp thu" if disposition.kind == DispositionKind.ACCEPTED else "được giải trình"
    body = f"{disposition.get_kind_display()}: {disposition.explanation}" if disposition.explanation else how
    _told(
        amendment, {comment.author_id}, reason=R.COMMENT_DISPOSED, period=f"disposition:{comment.pk}:{decided}",
        title=f"Ý kiến của đồng chí về {_where(comment)} {how}: {amendment.title}",
        body=f"Ý kiến: {comment.text}\n{body}", url=_comment_url(amendment, comment), actor=actor,
    )  # fmt: skip
