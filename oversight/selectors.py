"""The oversight dashboard: every organization under a superior, with the state of its regulations.

The rows are computed by the database over the subtree (the materialised path), with one
annotated query for the page and one aggregate for the summary, whatever the subtree's size;
the figures that need Python (conformance, findings) are fetched for the page's rows only.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from inspections.selectors import finding_counts
from organizations.models import ALLOWED_BODIES, BodyKind, Organization, OrganizationKind, Term
from regulations.conformance import conformance_figures
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


def annotated(organization: Organization, today: datetime.date):
    """Descendants of `organization`, each annotated with what the dashboard shows."""
    rules = Regulation.objects.filter(
        organization=OuterRef("pk"),
        kind=RegulationKind.COMMITTEE_RULES,
        current_version__status=VersionStatus.IN_FORCE,
    ).order_by("-current_version__effective")
    # Inside the regulations' subquery the outer row is the regulation: its organization's current term.
    current_term = Term.objects.filter(organization=OuterRef("organization"), start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    rules_this_term = rules.filter(current_version__term=Subquery(current_term.values("pk")[:1]))
    inspection_rules = Regulation.objects.filter(
        organization=OuterRef("pk"),
        kind=RegulationKind.INSPECTION_RULES,
        current_version__status=VersionStatus.IN_FORCE,
    )
    open_amendments = Amendment.objects.filter(regulation__organization=OuterRef("pk"), status__in=OPEN_STATUSES)
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
    basis_ended = Version.objects.filter(regulation__organization=OuterRef("pk"), status=VersionStatus.IN_FORCE).filter(
        cited_documents__status__in=(SuperiorDocumentStatus.REPLACED, SuperiorDocumentStatus.REPEALED)
    )
    return (
        Organization.objects.below(organization)
        .select_related("parent")
        .annotate(
            rules_id=Subquery(rules.values("pk")[:1]),
            rules_number=Subquery(rules.values("current_version__number")[:1]),
            rules_issued=Subquery(rules.values("current_version__issued")[:1]),
            next_review_on=Subquery(rules.values("next_review_on")[:1]),
            current_rules=Exists(rules_this_term),
            inspection_rules=Exists(inspection_rules),
            last_amended=Subquery(
                Amendment.objects.filter(regulation__organization=OuterRef("pk"), status=AmendmentStatus.ISSUED)
                .order_by("-closed_at")
                .values("closed_at")[:1]
            ),
            open_amendment_id=Subquery(open_amendments.order_by("-created_at").values("pk")[:1]),
            open_stage=Subquery(open_amendments.order_by("-created_at").values("stage__name")[:1]),
            answers_waiting=Coalesce(Subquery(waiting_answers[:1], output_field=IntegerField()), Value(0)),
            review_basis=Exists(basis_ended),
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


def summary(rows, today) -> Summary:
    """The counts on top of the dashboard, over the whole (filtered) subtree, from one query.

    The database computes each organization's flags; only the counting is done here, because
    PostgreSQL cannot filter an aggregate on the aliases of annotated subqueries.
    """
    grassroots = (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL)
    flags = rows.order_by().values_list("kind", "current_rules", "next_review_on", "open_amendment_id", "review_basis")
    counts = dict.fromkeys(("total", "grassroots", "with_rules", "overdue", "amending", "review_basis"), 0)
    for kind, current_rules, next_review_on, open_amendment_id, review_basis in flags:
        counts["total"] += 1
        counts["grassroots"] += kind in grassroots
        counts["with_rules"] += bool(current_rules)
        counts["overdue"] += bool(next_review_on and next_review_on < today)
        counts["amending"] += open_amendment_id is not None
        counts["review_basis"] += bool(review_basis)
    return Summary(without_rules=counts["total"] - counts["with_rules"], **counts)


def decorate(rows, today) -> list:
    """Add to the page's rows what Python computes: days overdue, conformance, inspection findings."""
    rows = list(rows)
    figures = conformance_figures(
        Regulation.objects.filter(pk__in=[r.rules_id for r in rows if r.rules_id], based_on__isnull=False)
    )
    findings = finding_counts([r.pk for r in rows])
    for row in rows:
        row.days_overdue = (today - row.next_review_on).days if row.next_review_on and row.next_review_on < today else 0
        row.conformance = figures.get(row.rules_id)
        row.findings_open, row.findings_overdue = findings.get(row.pk, (0, 0))
        row.has_inspection_body = row.kind in KINDS_WITH_INSPECTION
    return rows


def today():
    return timezone.localdate()
