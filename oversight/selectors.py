"""The oversight dashboard: every organization under a superior, with the state of its regulations.

The rows are computed by the database over the subtree (the materialised path), with one
annotated query for the page and one aggregate for the summary, whatever the subtree's size.
What the summary and the filters read is joined or looked up in sets the database computes once
per query (hashed), not once per organization: each organization's QCLV (the newest in force,
one anti-join over the subtree's), and the organizations with an open amendment, with a QCLV of
the current term, of the UBKT, or citing an ended document. The rest (the last amendment, the
open one's stage and answers) is looked up per row, for the rows read. Conformance to the model
is the figure kept with the regulation (regulations/conformance.py), not compared here.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.selectors import finding_counts, finding_counts_below
from organizations.models import ALLOWED_BODIES, GRASSROOTS_KINDS, BodyKind, Organization, Term
from regulations.models import Regulation, RegulationKind, SuperiorDocumentStatus, Version, VersionStatus
from reviews.models import OPEN_STATUSES, Amendment, AmendmentStatus, ConsultationRequest, StageKind

STATUS_FILTERS = {
    "has": "Có quy chế làm việc hiện hành",
    "missing": "Chưa có quy chế làm việc hiện hành",
    "overdue": "Quá hạn rà soát",
    "amending": "Đang sửa đổi, bổ sung",
    "review_basis": "Cần rà soát do căn cứ thay đổi",
}
KINDS_WITH_INSPECTION = [kind for kind, bodies in ALLOWED_BODIES.items() if BodyKind.INSPECTION in bodies]


def _in_force(kind: str):
    return Regulation.objects.filter(kind=kind, current_version__status=VersionStatus.IN_FORCE)


def _below(organization: Organization) -> Q:
    """Regulations of the organizations under `organization` (and its own, which no row shows)."""
    return Q(organization__path__startswith=organization.path)


def _rules_shown(organization: Organization):
    """The QCLV each organization's row shows: of its QCLVs in force, the one in force from the latest day
    (the latest made, of two from the same day)."""
    later = _in_force(RegulationKind.COMMITTEE_RULES).filter(
        Q(current_version__effective__gt=OuterRef("current_version__effective"))
        | Q(current_version__effective=OuterRef("current_version__effective"), pk__gt=OuterRef("pk")),
        organization=OuterRef("organization"),
    )
    return _in_force(RegulationKind.COMMITTEE_RULES).filter(_below(organization), ~Exists(later)).values("pk")


def _current_terms(today: datetime.date):
    """Each organization's term of `today`: the latest begun of those not ended (Term's order)."""
    later = Term.objects.current(today).filter(organization=OuterRef("organization"), start__gt=OuterRef("start"))
    return Term.objects.current(today).filter(~Exists(later)).values("pk")


def _flags(organization: Organization, today: datetime.date) -> dict[str, Q]:
    """What the summary counts and the filters choose on, as conditions on the organization: each a set the
    database computes once per query. The summary spells them out again (`summary`): an aggregate that
    names more than one annotation refers to the others by alias, which PostgreSQL refuses."""
    rules_this_term = _in_force(RegulationKind.COMMITTEE_RULES).filter(
        _below(organization),
        current_version__term__in=_current_terms(today),
        current_version__term__organization=F("organization"),
    )
    basis_ended = Version.objects.filter(
        regulation__organization__path__startswith=organization.path,
        status=VersionStatus.IN_FORCE,
        cited_documents__status__in=(SuperiorDocumentStatus.REPLACED, SuperiorDocumentStatus.REPEALED),
    )
    return {
        "current_rules": Q(pk__in=rules_this_term.values("organization")),
        "inspection_rules": Q(
            pk__in=_in_force(RegulationKind.INSPECTION_RULES).filter(_below(organization)).values("organization")
        ),
        "amending": Q(pk__in=Amendment.objects.filter(status__in=OPEN_STATUSES).values("regulation__organization")),
        "review_basis": Q(pk__in=basis_ended.values("regulation__organization")),
    }


def annotated(organization: Organization, today: datetime.date):
    """Descendants of `organization`, each annotated with what the dashboard shows."""
    open_amendments = Amendment.objects.filter(status__in=OPEN_STATUSES)
    newest_open = open_amendments.filter(regulation__organization=OuterRef("pk")).order_by("-created_at")
    waiting_answers = (
        ConsultationRequest.objects.filter(
            amendment__regulation__organization=OuterRef("pk"),
            amendment__stage__kind=StageKind.CONSULTATION,
            amendment__status__in=OPEN_STATUSES,
            answered_at__isnull=True,
        )
        .values("amendment__regulation__organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Organization.objects.below(organization)
        .select_related("parent")
        .annotate(
            rules=FilteredRelation("regulations", condition=Q(regulations__in=Subquery(_rules_shown(organization)))),
            rules_id=F("rules__pk"),
            rules_number=F("rules__current_version__number"),
            rules_issued=F("rules__current_version__issued"),
            next_review_on=F("rules__next_review_on"),
            conformance=F("rules__conformance"),
            **_flags(organization, today),
            last_amended=Subquery(
                Amendment.objects.filter(regulation__organization=OuterRef("pk"), status=AmendmentStatus.ISSUED)
                .order_by("-closed_at")
                .values("closed_at")[:1]
            ),
            open_amendment_id=Subquery(newest_open.values("pk")[:1]),
            open_stage=Subquery(newest_open.values("stage__name")[:1]),
            answers_waiting=Coalesce(Subquery(waiting_answers[:1], output_field=IntegerField()), Value(0)),
        )
        .order_by("path")
    )


@dataclass
class Summary:
    total: int
    grassroots: int
    with_rules: int
    without_rules: int
    overdue: int
    amending: int
    review_basis: int

    def __str__(self):
        return (
            f"{self.total} tổ chức ({self.grassroots} TCCSĐ): {self.with_rules} có quy chế làm việc hiện hành, "
            f"{self.without_rules} chưa có; {self.overdue} quá hạn rà soát; {self.amending} đang sửa đổi"
        )


def summary(rows, organization: Organization, today) -> Summary:
    """The counts on top of the dashboard, over the whole (filtered) subtree of `organization`, in one query."""
    flags = _flags(organization, today)
    counts = rows.aggregate(
        total=Count("pk"),
        grassroots=Count("pk", filter=Q(kind__in=GRASSROOTS_KINDS)),
        with_rules=Count("pk", filter=flags["current_rules"]),
        overdue=Count("pk", filter=Q(rules__next_review_on__lt=today)),
        amending=Count("pk", filter=flags["amending"]),
        review_basis=Count("pk", filter=flags["review_basis"]),
    )
    return Summary(without_rules=counts["total"] - counts["with_rules"], **counts)


def decorate(rows, today) -> list:
    """Add to the page's rows what Python computes: days overdue, inspection findings."""
    rows = list(rows)
    findings = finding_counts([r.pk for r in rows], today)
    for row in rows:
        _decorate(row, today, findings)
    return rows


def decorated(organization: Organization, rows, today, *, chunk_size: int = 500):
    """Every row of `rows` (the organizations under `organization`) decorated, read a chunk at a time."""
    findings = finding_counts_below(organization, today)
    for row in rows.iterator(chunk_size=chunk_size):
        yield _decorate(row, today, findings)


def _decorate(row, today, findings):
    row.days_overdue = (today - row.next_review_on).days if row.next_review_on and row.next_review_on < today else 0
    row.findings_open, row.findings_overdue = findings.get(row.pk, (0, 0))
    row.has_inspection_body = row.kind in KINDS_WITH_INSPECTION
    return row


def branches(organization: Organization):
    """The branches a dashboard of `organization` can be narrowed to: the organizations directly under it."""
    return Organization.objects.filter(parent=organization)


def today():
    return timezone.localdate()
