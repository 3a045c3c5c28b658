"""Reads of amendments: what a user may see, the comparison table, the synthesis, what awaits whom, whom each
dossier waits for, and the desk of the home page."""

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from inspections.models import AWAITING_REMEDIATION, Finding
from notifications.reminders import DEFAULTS as REMINDER_DEFAULTS
from organizations.access import (
    SECRETARY_ROLES,
    answering_organization_ids,
    drafting_organization_ids,
    readable,
    roles_by_organization,
    seats,
)
from organizations.models import ALLOWED_BODIES, BodyKind, Position, body_name
from quyche import counts
from quyche.ids import as_id
from quyche.paging import reverse_each
from regulations import diffing
from regulations.models import Regulation, VersionStatus
from regulations.selectors import article_items, provision_tree

from .access import can_view_amendment
from .models import (
    OPEN_STATUSES,
    Amendment,
    AmendmentStatus,
    AmendmentUserObjectPermission,
    Comment,
    ConsultationRequest,
    Disposition,
    Event,
    Stage,
    StageKind,
    WorkingGroupMember,
)
from .passages import passages_of

WORKING_GROUP_STAGES = (StageKind.DRAFTING, StageKind.CONSULTATION, StageKind.SYNTHESIS)


# What a row of a list of dossiers shows: a dossier's stage and status (and a saved event or request: whom it waits
# for), its regulation's organization; and what the reader may read: their seats, their rights, the organizations,
# and whether they are a superuser (a person saved).
LIST_DEPENDS_ON = ("amendments", "positions", "regulations", "organizations", "people")


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
    """What the user may act on now: stages of their bodies, their working groups' stages, consultations, and for
    an office, the findings its organization must remedy and the regulations whose review has begun."""
    today = timezone.localdate()
    offices = drafting_organization_ids(user)
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
        "findings": list(_findings_to_fix(offices).select_related("inspection__inspecting")) if offices else [],
        "reviews": _reviews_due(offices, today),
        "today": today,
    }


REQUEST_ROW_FIELDS = ("amendment", "user", "organization", "due")

# What `awaiting` reads: dossiers, working groups and requests; seats; regulations (and the offices' notices before
# their review dates); findings; organizations.
AWAITING_DEPENDS_ON = ("amendments", "positions", "regulations", "inspections", "organizations")


def kept_awaiting(user) -> dict:
    """`awaiting`, kept for the person and the day until one of AWAITING_DEPENDS_ON changes (Việc cần làm)."""
    return counts.cached(f"todo:{user.pk}", AWAITING_DEPENDS_ON, lambda: awaiting(user))


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
    """How many things `awaiting` lists, counted by the database where it can."""
    offices = drafting_organization_ids(user)
    total = _awaiting_amendments(user).count() + _awaiting_requests(user).count()
    if offices:
        total += _findings_to_fix(offices).count() + len(_reviews_due(offices, timezone.localdate()))
    return total


def awaiting_count_lazy(user):
    """The header's count, counted when shown: from the cache until an amendment, a working group, a consultation
    request or a seat changes (reviews/apps.py, organizations/apps.py), and for an office, a finding or a
    regulation's review date too (inspections/apps.py, regulations/services.py); others' counts do not read them."""
    depends_on = ("amendments", "positions")
    if drafting_organization_ids(user):
        depends_on += ("inspections", "regulations")
    return counts.lazy_count("awaiting", user, depends_on, lambda: awaiting_count(user))


def _awaiting_amendments(user):
    # Every condition is on the amendment's own columns (its key, its regulation's, its stage's), each read from a
    # small subquery: an OR over joined tables made PostgreSQL join every dossier to its regulation and stage
    # before filtering (11 ms for a province's office; 1.5 ms so).
    groups = WorkingGroupMember.objects.active().filter(user=user).values("amendment_id")
    condition = Q(pk__in=groups, stage_id__in=Stage.objects.filter(kind__in=WORKING_GROUP_STAGES).values("pk"))
    for seat in seats(user):
        condition |= Q(
            regulation_id__in=Regulation.objects.filter(organization_id=seat.organization_id).values("pk"),
            stage_id__in=Stage.objects.filter(
                body_kind=seat.body_kind, kind__in=(StageKind.REVIEW, StageKind.DECISION)
            ).values("pk"),
        )
    # Adopted texts wait for the office to give them a number.
    offices = Regulation.objects.filter(organization_id__in=drafting_organization_ids(user)).values("pk")
    return Amendment.objects.filter(
        Q(status=AmendmentStatus.IN_PROGRESS) & condition | Q(status=AmendmentStatus.ADOPTED, regulation_id__in=offices)
    ).order_by("stage_entered_at")


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


def _findings_to_fix(offices):
    """Findings the inspected organization's office owes a remediation report for (inspections.access.can_report)."""
    return Finding.objects.filter(status__in=AWAITING_REMEDIATION, inspection__inspected_id__in=offices).order_by(
        "deadline", "pk"
    )


def _reviews_due(offices, today: datetime.date) -> list[Regulation]:
    """The regulations in force of these organizations whose review has begun (the reminders' notice before the
    date, as each office set it) and is not under way in an open amendment, the earliest first."""
    if not offices:
        return []
    candidates = (
        Regulation.objects.filter(
            organization_id__in=offices, current_version__status=VersionStatus.IN_FORCE, next_review_on__isnull=False
        )
        .exclude(amendments__status__in=OPEN_STATUSES)
        .select_related("organization__reminder_settings")
        .order_by("next_review_on", "pk")
    )
    return [regulation for regulation in candidates if today >= review_begins(regulation)]


def review_begins(regulation: Regulation) -> datetime.date:
    """The day a review counts as due: its date less the notice the organization's office set (or the default)."""
    thresholds = getattr(regulation.organization, "reminder_settings", None) or REMINDER_DEFAULTS
    return regulation.next_review_on - datetime.timedelta(days=thresholds.review_notice_days)


def changes_of(amendment: Amendment):
    return list(amendment.changes.select_related("author").order_by("at", "pk"))


def events_of(amendment: Amendment):
    return amendment.events.select_related("actor", "from_stage", "to_stage").order_by("at", "pk")


# Đang chờ: whom each dossier waits for ----------------------------------------------------------------------------


class WaitingOn:
    """Who acts next on an open dossier."""

    ASKED = "asked"  # those asked for their opinion who have not answered
    WORKING_GROUP = "working_group"
    BODY = "body"  # the stage's body: Thường trực, BTV, BCH, chi ủy...
    ISSUER = "issuer"  # the office (a chi bộ's secretaries) gives an adopted text its number


PEOPLE_SHOWN = 12


@dataclass(frozen=True)
class Waiting:
    """Đang chờ: who must act on a dossier now, since when (its last event), and by which date."""

    on: str
    body: str
    since: datetime.datetime | None
    due: datetime.date | None = None
    not_answered_count: int = 0
    people: tuple[str, ...] = ()

    @property
    def people_shown(self) -> tuple[str, ...]:
        return self.people[:PEOPLE_SHOWN]

    @property
    def people_more(self) -> int:
        return max(0, len(self.people) - PEOPLE_SHOWN)

    @property
    def is_overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def with_waiting(amendments):
    """The amendments with what `waiting_of` reads, in the same query: the last event's time, and the consultation
    requests not answered yet (how many, and the latest due date among them)."""
    events = Event.objects.filter(amendment=OuterRef("pk")).order_by("-at", "-pk")
    unanswered = ConsultationRequest.objects.filter(amendment=OuterRef("pk"), answered_at__isnull=True).order_by()
    return amendments.annotate(
        last_event_at=Subquery(events.values("at")[:1]),
        not_answered=Coalesce(Subquery(unanswered.values("amendment").annotate(n=Count("pk")).values("n")), 0),
        not_answered_due=Subquery(unanswered.order_by("-due").values("due")[:1]),
        stage_kind=F("stage__kind"),
        stage_body_kind=F("stage__body_kind"),
        organization_kind=F("regulation__organization__kind"),
    )


def waiting_of(amendment) -> Waiting | None:
    """Whom a dossier annotated by `with_waiting` waits for, without a query; None once it has ended."""
    since = amendment.last_event_at
    if amendment.status == AmendmentStatus.ADOPTED:
        return Waiting(WaitingOn.ISSUER, _issuer_name(amendment.organization_kind), since)
    if amendment.status != AmendmentStatus.IN_PROGRESS:
        return None
    if amendment.stage_kind == StageKind.CONSULTATION and amendment.not_answered:
        return Waiting(
            WaitingOn.ASKED, "Nơi được lấy ý kiến chưa trả lời", since, amendment.not_answered_due,
            amendment.not_answered,
        )  # fmt: skip
    if amendment.stage_kind in WORKING_GROUP_STAGES:
        return Waiting(WaitingOn.WORKING_GROUP, "Tổ công tác", since)
    return Waiting(WaitingOn.BODY, body_name(amendment.stage_body_kind, amendment.organization_kind), since)


def _issuer_name(organization_kind: str) -> str:
    # As organizations.access.drafting_organization_ids: where there is no office, the secretaries issue.
    return BodyKind.OFFICE.label if BodyKind.OFFICE in ALLOWED_BODIES[organization_kind] else "Bí thư, Phó Bí thư"


def waiting_for(amendment: Amendment) -> Waiting | None:
    """`waiting_of` one dossier, with the people it waits for by name: those asked who have not answered, the
    working group, the stage body's sitting members, or those who issue. Two queries."""
    waiting = waiting_of(with_waiting(Amendment.objects.filter(pk=amendment.pk)).only("status").get())
    if waiting is None:
        return None
    return dataclasses.replace(waiting, people=tuple(_people_waited_for(amendment, waiting.on)))


def _people_waited_for(amendment: Amendment, on: str) -> list[str]:
    if on == WaitingOn.ASKED:
        requests = amendment.requests.filter(answered_at__isnull=True).select_related("user", "organization")
        return [request.recipient_name for request in requests.order_by("due", "pk")]
    if on == WaitingOn.WORKING_GROUP:
        return [str(seat.user) for seat in amendment.working_group.active().select_related("user")]
    organization = amendment.regulation.organization
    positions = Position.objects.active().filter(body__organization=organization).select_related("user")
    if on == WaitingOn.BODY:
        positions = positions.filter(body__kind=amendment.stage.body_kind)
    elif BodyKind.OFFICE in ALLOWED_BODIES[organization.kind]:
        positions = positions.filter(body__kind=BodyKind.OFFICE)
    else:
        positions = positions.filter(body__kind=BodyKind.EXECUTIVE, role__in=SECRETARY_ROLES)
    # A Bí thư holds a role in several bodies: named once.
    return sorted({str(position.user) for position in positions})


# The desk: the home page of a signed-in person ---------------------------------------------------------------------

DESK_DEADLINES = 5
DESK_AMENDMENTS = 5
DESK_REGULATIONS = 20
DESK_ACTIVITY = 5


@dataclass(frozen=True)
class Deadline:
    """One dated thing that awaits the person, for the desk's nearest deadlines."""

    kind: str
    title: str
    due: datetime.date
    url: str


@dataclass(frozen=True)
class WorkedRegulation:
    """A regulation the person works with, and where it stands."""

    regulation: Regulation
    state: str
    status: str  # for the badge's colour: the text's status, the amendment's, or review_due / review_overdue
    amendment_url: str = ""


def desk(user) -> dict:
    """What the home page shows a signed-in person: what awaits them (the lists of Việc cần làm, counted, and the
    nearest deadlines first), their organizations with their roles, the regulations they work with and where each
    stands, and their latest notifications. The queries of `awaiting`, then one for the regulations and one for
    the notifications, however many seats, dossiers or regulations."""
    todo = awaiting(user)
    regulations = worked_regulations(user, todo["today"])
    draft_url, regulation_url = reverse_each("reviews:draft"), reverse_each("regulations:detail")
    deadlines = (
        [Deadline("Trả lời lấy ý kiến", r.amendment.title, r.due, draft_url(r.amendment_id)) for r in todo["requests"]]
        + [Deadline("Khắc phục hạn chế", f.description, f.deadline, finding_url(f)) for f in todo["findings"]]
        + [Deadline("Rà soát quy chế", r.title, r.next_review_on, regulation_url(r.pk)) for r in todo["reviews"]]
    )
    return {
        **todo,
        "counts": {
            "amendments": len(todo["amendments"]),
            "requests": len(todo["requests"]),
            "findings": len(todo["findings"]),
            "reviews": len(todo["reviews"]),
        },
        "deadlines": sorted(deadlines, key=lambda deadline: (deadline.due, deadline.title))[:DESK_DEADLINES],
        "desk_amendments": todo["amendments"][:DESK_AMENDMENTS],
        "memberships": roles_by_organization(user),
        "regulations": regulations[:DESK_REGULATIONS],
        "more_regulations": len(regulations) > DESK_REGULATIONS,
        "activity": list(user.notifications.only("recipient", "title", "url", "created_at", "read_at")[:DESK_ACTIVITY]),
    }


def finding_url(finding) -> str:
    return reverse_each("inspections:detail")(finding.inspection_id) + f"#han-che-{finding.pk}"


def worked_regulations(user, today: datetime.date) -> list[WorkedRegulation]:
    """The regulations of the organizations the user sits in and of the open dossiers whose working group they are
    in, by organization (at most DESK_REGULATIONS and one more, to say there are more), each with where it stands:
    an open amendment's stage, a review due, or its text's status. One query."""
    groups = WorkingGroupMember.objects.active().filter(user=user, amendment__status__in=OPEN_STATUSES)
    # A union of keys, not an OR of the two conditions: with the OR, PostgreSQL walks every organization of a
    # province in the order of the sort to find the few rows (47 ms for a city's auditor; 2 ms so).
    keys = (
        Regulation.objects.filter(organization_id__in={seat.organization_id for seat in seats(user)})
        .order_by()
        .values("pk")
        .union(groups.order_by().values("amendment__regulation_id"))
    )
    open_amendment = Amendment.objects.open().filter(regulation=OuterRef("pk")).order_by()
    regulations = (
        Regulation.objects.for_list()
        .filter(pk__in=keys)
        .select_related("organization__reminder_settings")
        .annotate(
            amendment_id=Subquery(open_amendment.values("pk")[:1]),
            amendment_status=Subquery(open_amendment.values("status")[:1]),
            amendment_stage=Subquery(open_amendment.values("stage__name")[:1]),
        )
        .order_by("organization__path", "kind", "title", "pk")[: DESK_REGULATIONS + 1]
    )
    amendment_url = reverse_each("reviews:detail")
    worked = []
    for regulation in regulations:
        version = regulation.current_version
        if regulation.amendment_id:
            adopted = regulation.amendment_status == AmendmentStatus.ADOPTED
            state = "Đã thông qua, chờ ban hành" if adopted else f"Đang sửa đổi: {regulation.amendment_stage}"
            worked.append(
                WorkedRegulation(regulation, state, regulation.amendment_status, amendment_url(regulation.amendment_id))
            )
            continue
        if version is None:
            state, status = "Chưa có văn bản", ""
        elif (
            version.status == VersionStatus.IN_FORCE
            and regulation.next_review_on
            and today >= review_begins(regulation)
        ):
            overdue = today > regulation.next_review_on
            state = f"{'Quá hạn' if overdue else 'Đến hạn'} rà soát ({regulation.next_review_on:%d/%m/%Y})"
            status = "review_overdue" if overdue else "review_due"
        else:
            state, status = version.get_status_display(), version.status
        worked.append(WorkedRegulation(regulation, state, status))
    return worked
