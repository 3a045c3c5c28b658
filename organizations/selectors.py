"""Reads of the hierarchy that need care: counts over subtrees in one query, member lists."""

import datetime
import os
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from quyche.counts import cached, cached_many
from quyche.paging import reverse_each

from .access import AUDIT_BODIES, granted, seats, visible_organizations
from .models import GRASSROOTS_KINDS, Body, Organization, OrganizationKind, Position, Role, Term

K = OrganizationKind

# How a count of each kind reads under a node: "3 đảng bộ bộ phận".
COUNT_LABELS = {
    K.PROVINCIAL: "tỉnh ủy, thành ủy",
    K.DISTRICT: "đảng bộ cấp huyện",
    K.BLOC: "đảng ủy khối",
    K.GRASSROOTS_COMMITTEE: "đảng bộ cơ sở",
    K.GRASSROOTS_CELL: "chi bộ cơ sở",
    K.SUB_COMMITTEE: "đảng bộ bộ phận",
    K.CELL: "chi bộ trực thuộc",
    K.PARTY_DELEGATION: "đảng đoàn",
    K.PARTY_AFFAIRS: "ban cán sự đảng",
}


# The other kinds in their order, read once (the enum builds the list afresh at each reading).
OTHER_KINDS = tuple(kind for kind in K.values if kind not in GRASSROOTS_KINDS)


def counts_label(counts: Counter) -> str:
    """ "97 TCCSĐ: 54 đảng bộ cơ sở, 43 chi bộ cơ sở; 3 đảng bộ bộ phận; 424 chi bộ trực thuộc"."""
    parts = []
    grassroots = sum(counts[kind] for kind in GRASSROOTS_KINDS)
    if grassroots:
        detail = ", ".join(f"{counts[kind]} {COUNT_LABELS[kind]}" for kind in GRASSROOTS_KINDS if counts[kind])
        parts.append(f"{grassroots} TCCSĐ: {detail}")
    for kind in OTHER_KINDS:
        if counts[kind]:
            parts.append(f"{counts[kind]} {COUNT_LABELS[kind]}")
    return "; ".join(parts)


def descendant_counts(nodes) -> dict[int, Counter]:
    """Counts of descendants by kind for each node, in one query however many nodes and depths.

    Descendants are grouped by the prefix of their path that names the node above them, so the
    database does the counting however large the subtrees are; nodes of one depth (siblings on a
    page, say) bound their part to the stretch of paths between the first of them and the last.
    """
    result = {node.pk: Counter() for node in nodes}
    by_depth = defaultdict(list)
    for node in nodes:
        by_depth[node.depth].append(node)
    pk_by_path = {node.path: node.pk for node in nodes}
    parts = [_counts_at(depth, [node.path for node in group]) for depth, group in sorted(by_depth.items())]
    if not parts:
        return result
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for row in rows:
        pk = pk_by_path.get(row["prefix"])
        if pk is not None:
            result[pk][row["kind"]] += row["n"]
    return result


def _counts_at(depth: int, paths: list[str]):
    """Descendants of the nodes at `paths` (all at `depth`) counted by the prefix naming each node, and kind."""
    step = Organization.steplen
    common = os.path.commonprefix(paths)
    common = common[: len(common) - len(common) % step]
    first, last = min(paths), max(paths)
    # Every descendant of the last node sorts before the node after it (paths are steps of 0-9A-Z).
    after = last[:-step] + Organization._int2str(Organization._str2int(last[-step:]) + 1).rjust(step, "0")
    within = Q(path__gte=first) & (Q(path__lt=after) if len(after) == len(last) else Q())
    return (
        Organization.objects.filter(within, path__startswith=common, depth__gt=depth)
        .annotate(prefix=Substr("path", 1, depth * step))
        .values("prefix", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )


def with_counts(user, nodes, counts: dict[int, Counter] | None = None) -> list[Organization]:
    """Attach `counts` (counted unless given), `counts_label`, `expandable` and the links (`url`, `children_url`)
    to each node for the tree."""
    nodes = list(nodes)
    counts = kept_descendant_counts(nodes) if counts is None else counts
    audit_seats = [seat for seat in seats(user) if seat.body_kind in AUDIT_BODIES]
    detail_url, children_url = reverse_each("organizations:detail"), reverse_each("organizations:children")
    for node in nodes:
        node.counts = counts[node.pk]
        node.counts_label = counts_label(node.counts)
        node.expandable = node.numchild > 0 and (user.is_superuser or any(seat.covers(node) for seat in audit_seats))
        node.url, node.children_url = detail_url(node.pk), children_url(node.pk)
    return nodes


def tree_roots(user) -> list[Organization]:
    """The highest organizations the user may read, from which their tree unfolds."""
    if user.is_superuser:
        return with_counts(user, Organization.objects.filter(depth=1))
    visible = visible_organizations(user)
    audit_paths = {seat.organization_path for seat in seats(user) if seat.body_kind in AUDIT_BODIES}
    # Candidates: the organizations the user sits in or was granted; the rest of what
    # they see lies below an audited one.
    attached = {seat.organization_id for seat in seats(user)}
    candidates = visible.filter(Q(pk__in=attached) | granted(user))
    roots = [
        node for node in candidates if not any(Organization.path_is_below(node.path, path) for path in audit_paths)
    ]
    return with_counts(user, roots)


ROLE_RANK = {role: index for index, role in enumerate(Role.values)}

# Children shown at a time under an organization or a node of the tree; "Xem thêm" brings the next ones.
CHILDREN_PAGE = 50


@dataclass
class ChildrenPage:
    """One page of an organization's children the user may read, with their counts, filtered by name."""

    nodes: list
    number: int
    has_next: bool
    query: str

    def next_query(self) -> str:
        return urlencode({"q": self.query, "trang": self.number + 1} if self.query else {"trang": self.number + 1})


def children_page(
    user, organization: Organization, *, query: str = "", number: int = 1, count_organization: bool = False
) -> ChildrenPage:
    """With `count_organization`, the organization's own counts too (`kept_descendant_counts`)."""
    children = visible_organizations(user).filter(parent=organization)
    if query:
        children = children.search(query)
    start = (number - 1) * CHILDREN_PAGE
    nodes = list(children[start : start + CHILDREN_PAGE + 1])  # one more tells whether a next page exists
    shown = nodes[:CHILDREN_PAGE]
    if not count_organization:
        with_counts(user, shown)
        return ChildrenPage(shown, number, len(nodes) > CHILDREN_PAGE, query)
    counted = kept_descendant_counts([organization, *shown])
    organization.counts = counted[organization.pk]
    organization.counts_label = counts_label(organization.counts)
    with_counts(user, shown, counted)
    return ChildrenPage(shown, number, len(nodes) > CHILDREN_PAGE, query)


def kept_descendant_counts(nodes) -> dict[int, Counter]:
    """`descendant_counts`, each node's the same for every reader: counting a bloc's or a city's thousands
    takes the database longer than the rest of its page, so they are kept until an organization is saved or
    deleted (organizations/apps.py). Those not kept are counted together, in one query."""
    nodes = list(nodes)
    counted = {}

    def count(pk):
        def compute():
            if not counted:
                counted.update(descendant_counts(nodes))
            return counted[pk]

        return compute

    kept = cached_many({f"subtree:{node.pk}": (("organizations",), count(node.pk)) for node in nodes})
    return {node.pk: kept[f"subtree:{node.pk}"] for node in nodes}


def search_organizations(user, query: str, limit: int = 50) -> list[Organization]:
    found = visible_organizations(user).search(query).select_related("parent")[:limit]
    return with_counts(user, found)


@dataclass(frozen=True)
class Member:
    """A person sitting in a body, as the organization page lists them."""

    name: str
    role: str
    start: datetime.date


def organization_page(organization: Organization, *, on=None) -> dict:
    """Everything the organization page shows of itself, the same for every reader: kept for the day until a seat,
    a body, a term, an organization or a person's name changes (organizations/apps.py)."""
    on = on or timezone.localdate()
    return cached(
        f"organization:{organization.pk}:{on.isoformat()}",
        ("positions", "people"),
        lambda: _organization_page(organization, on),
    )


def _organization_page(organization: Organization, on: datetime.date) -> dict:
    terms = list(Term.objects.filter(organization=organization))
    positions = (
        Position.objects.active(on)
        .filter(body__organization=organization)
        .select_related("user")
        .only("body", "role", "start", "user__first_name", "user__last_name", "user__username")
        .order_by("user__first_name", "user__last_name")
    )
    members = defaultdict(list)
    # Bí thư first, then Phó Bí thư, ... as the roles are listed, then by name (the sort keeps that order).
    for position in sorted(positions, key=lambda position: ROLE_RANK[position.role]):
        name = position.user.get_full_name() or position.user.username
        members[position.body_id].append(Member(name, position.get_role_display(), position.start))
    bodies = list(Body.objects.filter(organization=organization))
    for body in bodies:
        body.members = members[body.pk]
    return {
        "current_term": next((term for term in terms if term.covers(on)), None),
        "terms": terms,
        "bodies": bodies,
        "ancestors": list(Organization.objects.filter(path__in=organization.ancestor_paths())),
    }


def body_members(body: Body, *, on=None):
    return Position.objects.active(on).filter(body=body).select_related("user")


def sitting_members(organization: Organization, body_kind: str, *, on=None) -> int:
    """How many people sit in the organization's body on a day: a Bí thư holding two roles counts once."""
    return (
        Position.objects.active(on)
        .filter(body__organization=organization, body__kind=body_kind)
        .values("user")
        .distinct()
        .count()
    )


def secretary(organization: Organization, *, on=None):
    """The Bí thư of the organization on a day (the one who signs for its BCH), or None."""
    position = (
        Position.objects.active(on)
        .filter(body__organization=organization, role=Role.SECRETARY)
        .select_related("user")
        .order_by("-start", "pk")
        .first()
    )
    return position.user if position else None
