"""Reads of amendments: what a user may see, the comparison table, the synthesis, what awaits whom."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from organizations.access import (
    answering_organization_ids,
    drafting_organization_ids,
    readable,
    seats,
)
from quyche import counts
from quyche.ids import as_id
from regulations import diffing
from regulations.selectors import article_items, provision_tree

from .access import can_view_amendment
from .models import (
    Amendment,
    AmendmentStatus,
    AmendmentUserObjectPermission,
    Comment,
    ConsultationRequest,
    Disposition,
    StageKind,
    WorkingGroupMember,
)
from .passages import passages_of

WORKING_GROUP_STAGES = (StageKind.DRAFTING, StageKind.CONSULTATION, StageKind.SYNTHESIS)


def visible_amendments(user):
    """Every amendment the user may read (`access.can_view_amendment`), each once.

    Each way in is a condition on the amendment's own row (its organization's, joined one to one) or a
    subquery on its key, so that no join multiplies the rows and the list needs no DISTINCT over its wide
    rows, and the newest first are read by index until a page is full.
    """
    if user.is_superuser:
        return Amendment.objects.all()
    return Amendment.objects.filter(
        readable(user, via="regulation__organization")
        | Q(pk__in=WorkingGroupMember.objects.active().filter(user=user).values("amendment_id"))
        | Q(pk__in=_requests_to(user).values("amendment_id"))
        | Q(pk__in=AmendmentUserObjectPermission.objects.filter(user=user).values("content_object_id"))
    )


def _requests_to(user):
    """Consultation requests the user answers: their own, and their organizations'."""
    return ConsultationRequest.objects.filter(Q(user=user) | Q(organization__in=answering_organization_ids(user)))


def get_amendment_for_user(user, pk) -> Amendment:
    amendment = (
        Amendment.objects.select_related("regulation__organization", "stage", "base_version", "draft")
        .filter(pk=as_id(pk))
        .first()
    )
    if amendment is None or not can_view_amendment(user, amendment):
        raise Http404("Không tìm thấy hồ sơ.")
    return amendment


def open_amendment_of(regulation) -> Amendment | None:
    """The dossier still open on a regulation, if any: the service opens one at a time."""
    return Amendment.objects.open().filter(regulation=regulation).select_related("stage").first()


@dataclass
class TableRow(diffing.ChangeFlags):
    """One row of the bảng đối chiếu: current text | proposed text | reason."""

    change: diffing.ChangeKind
    old_label: str | None
    new_label: str | None
    heading: str
    current: str
    proposed: str
    ops: list
    reasons: list = field(default_factory=list)


def comparison_table(amendment: Amendment) -> list[TableRow]:
    """Per article of the base and the draft, from the compare engine, with the reasons given."""
    old_items = article_items(provision_tree(amendment.base_version)) if amendment.base_version_id else []
    new_items = article_items(provision_tree(amendment.draft))
    reasons = defaultdict(list)
    for change in amendment.changes.order_by("at", "pk"):
        reasons[change.article_key].append(change.reason)
    rows = []
    for change in diffing.compare_items(old_items, new_items):
        key = (change.new or change.old).key
        rows.append(
            TableRow(
                change=change.change,
                old_label=change.old_label,
                new_label=change.new_label,
                heading=(change.new or change.old).heading,
                current=change.old.content if change.old else "",
                proposed=change.new.content if change.new else "",
                ops=change.ops,
                reasons=reasons.get(key, []),
            )
        )
    return rows


def summary_of(rows: list[TableRow]) -> dict:
    summary = dict.fromkeys(diffing.ChangeKind, 0)
    for row in rows:
        summary[row.change] += 1
    return summary


def _comments_for_rendering(amendment: Amendment):
    """Top-level comments with what `_comment.html` shows: author, organization, disposition, replies."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return (
        amendment.comments.filter(parent__isnull=True)
        .select_related("author", "request__organization", "disposition__change", "disposition__decided_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


def comments_by_article(amendment: Amendment) -> dict:
    """Top-level comments with their replies and dispositions, keyed by article (None: the whole draft)."""
    grouped = defaultdict(list)
    for comment in _comments_for_rendering(amendment):
        grouped[comment.article_key].append(comment)
    return grouped


def comment_for_rendering(amendment: Amendment, pk: int) -> Comment:
    """One top-level comment with its replies, as the draft page shows it."""
    return _comments_for_rendering(amendment).get(pk=pk)


def synthesis_rows(amendment: Amendment) -> list[tuple[str, list[Comment]]]:
    """Comments grouped by passage in the draft's order, under the names the passages bear now: the whole
    draft first, then each article with its clauses and points, then passages no longer in the draft.

    A suggestion also carries `current_text`, the passage as it reads now (None once gone), so the page
    can say which ones no longer apply as they were made.
    """
    grouped = defaultdict(list)
    for comment in _comments_for_rendering(amendment):
        grouped[comment.provision_key or comment.article_key].append(comment)
    rows = []
    if None in grouped:
        rows.append(("Toàn văn dự thảo", grouped.pop(None)))
    for key, passage in passages_of(provision_tree(amendment.draft)).items():
        if key not in grouped:
            continue
        comments = grouped.pop(key)
        for comment in comments:
            comment.current_text = passage.text
        article = passage.article
        place = f"Điều {article.label}. {article.heading}" if passage.is_article else passage.place
        rows.append((place[:1].upper() + place[1:], comments))
    for comments in grouped.values():
        for comment in comments:
            comment.current_text = None
        place = comments[0].place_as_seen
        rows.append((f"{place[:1].upper()}{place[1:]} (đã bỏ khỏi dự thảo)", comments))
    return rows


def waiting_requests(requests) -> list[ConsultationRequest]:
    """Requests not answered yet and not yet due: those the consultation waits for before it is handed on."""
    today = timezone.localdate()
    return [request for request in requests if request.answered_at is None and request.due >= today]


def requests_of(amendment: Amendment):
    return amendment.requests.select_related("user", "organization", "answered_by").annotate(
        comment_count=Count("comments")
    )


def awaiting(user) -> dict:
    """What the user may act on now: stages of their bodies, their working groups' stages, consultations."""
    return {
        "amendments": list(_awaiting_amendments(user).for_list()),
        "requests": list(
            _awaiting_requests(user)
            .select_related("amendment", "user", "organization")
            .only(
                *REQUEST_ROW_FIELDS,
                "amendment__title",
                "user__first_name",
                "user__last_name",
                "user__username",
                "organization__name",
            )
        ),
        "today": timezone.localdate(),
    }


REQUEST_ROW_FIELDS = ("amendment", "user", "organization", "due")


def earlier_dispositions(amendment) -> dict[int, list]:
    """{comment id: the dispositions decided before the present one, newest first}, in one query."""
    earlier: dict[int, list] = {}
    records = (
        Disposition.history.filter(comment__amendment=amendment)
        .select_related("history_user")
        .order_by("comment_id", "-history_date", "-history_id")
    )
    for record in records:
        earlier.setdefault(record.comment_id, []).append(record)
    return {comment_id: records[1:] for comment_id, records in earlier.items() if len(records) > 1}


def awaiting_count(user) -> int:
    return _awaiting_amendments(user).count() + _awaiting_requests(user).count()


def awaiting_count_lazy(user):
    """The header's count, counted when shown: from the cache until an amendment, a working group, a
    consultation request or a seat changes (reviews/apps.py, organizations/apps.py)."""
    return counts.lazy_count("awaiting", user, ("amendments", "positions"), lambda: awaiting_count(user))


def _awaiting_amendments(user):
    in_progress = Q(status=AmendmentStatus.IN_PROGRESS)
    groups = WorkingGroupMember.objects.active().filter(user=user).values("amendment_id")
    condition = in_progress & Q(pk__in=groups, stage__kind__in=WORKING_GROUP_STAGES)
    for seat in seats(user):
        condition |= in_progress & Q(
            regulation__organization_id=seat.organization_id,
            stage__body_kind=seat.body_kind,
            stage__kind__in=(StageKind.REVIEW, StageKind.DECISION),
        )
    # Adopted texts wait for the office to give them a number.
    offices = drafting_organization_ids(user)
    condition |= Q(status=AmendmentStatus.ADOPTED, regulation__organization_id__in=offices)
    return Amendment.objects.filter(condition).order_by("stage_entered_at")


def _awaiting_requests(user):
    return (
        _requests_to(user)
        .filter(
            answered_at__isnull=True,
            amendment__status=AmendmentStatus.IN_PROGRESS,
            amendment__stage__kind=StageKind.CONSULTATION,
        )
        .order_by("due")
    )


def changes_of(amendment: Amendment):
    return list(amendment.changes.select_related("author").order_by("at", "pk"))


def events_of(amendment: Amendment):
    return amendment.events.select_related("actor", "from_stage", "to_stage").order_by("at", "pk")
