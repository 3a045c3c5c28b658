"""Reads of regulations that need care: whole texts in one query, comparisons, what is in force."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from organizations.access import can_view_organization, visible_organizations
from quyche.ids import as_id
from quyche.kept import kept

from . import diffing, numbering, parsing
from .access import can_view_regulation
from .models import DOCUMENT_CODE, ISSUED_STATUSES, Provision, ProvisionKind, Regulation, RegulationKind, Version

# How a child provision is written under its parent in plain text.
_PREFIX = {
    ProvisionKind.CLAUSE: "{label}. ",
    ProvisionKind.POINT: "{label}) ",
    ProvisionKind.BULLET: "{label} ",
}


@dataclass
class Tree:
    """A version's provisions, each with `nodes` (its children), from one query."""

    roots: list = field(default_factory=list)
    all: list = field(default_factory=list)

    @property
    def articles(self):
        return [node for node in self.all if node.kind == ProvisionKind.ARTICLE]

    def counts(self) -> dict:
        counts = {"chapters": 0, "articles": 0, "clauses": 0, "points": 0}
        for node in self.all:
            if f"{node.kind}s" in counts:
                counts[f"{node.kind}s"] += 1
        return counts


def build_tree(provisions) -> Tree:
    tree = Tree()
    by_pk = {}
    for node in provisions:
        node.nodes = []
        by_pk[node.pk] = node
        tree.all.append(node)
    for node in tree.all:
        parent = by_pk.get(node.parent_id)
        (parent.nodes if parent else tree.roots).append(node)
    return tree


def provision_tree(version: Version) -> Tree:
    return build_tree(Provision.objects.filter(version=version).for_rendering())


def article_tree(version: Version, key) -> Provision | None:
    """The version's article of this key with what lies under it (`nodes`), from one query; None if it has none."""
    tree = build_tree(Provision.objects.filter(version=version, article__key=key).for_rendering())
    return tree.roots[0] if tree.roots else None


def line_of(node) -> str:
    """One provision as it is written on its line, without its children."""
    if node.kind in (ProvisionKind.ARTICLE, ProvisionKind.CHAPTER, ProvisionKind.SECTION, ProvisionKind.PART):
        head = f"{node.get_kind_display()} {node.label}".strip()
        title = " ".join(part for part in (node.heading, node.text) if part)
        return f"{head}. {title}" if node.kind == ProvisionKind.ARTICLE else f"{head} {title}".strip()
    prefix = _PREFIX.get(node.kind, "").format(label=node.label)
    return f"{prefix}{node.text}"


def subtree_text(node) -> str:
    """The provision's own heading and text with everything below it, as one text."""
    return "\n".join(part for part in (node.heading, body_text(node)) if part)


def body_text(node) -> str:
    """The provision's text and everything below it, one line each, without its heading."""
    lines = [node.text]
    stack = list(reversed(node.nodes))
    while stack:
        child = stack.pop()
        lines.append(line_of(child))
        stack.extend(reversed(child.nodes))
    return "\n".join(line for line in lines if line)


def article_items(tree: Tree) -> list[diffing.Item]:
    return [
        diffing.Item(key=node.key, label=node.label, heading=node.heading, text=body_text(node))
        for node in tree.articles
    ]


def compare_versions(old: Version, new: Version) -> list[diffing.Change]:
    """Articles modified, added, removed and renumbered, matched by identity, then by content."""
    return diffing.compare_items(article_items(provision_tree(old)), article_items(provision_tree(new)))


def comparison_kept(old: Version, new: Version, form: str, build):
    """What `build()` makes of the comparison of `old` and `new` (a page's table, the API's rows).

    Two issued texts compare the same way until one of them is corrected (an issued text never
    changes otherwise), so theirs is built once and kept for every reader under a key that a
    correction changes (`quyche.kept`); a draft's is built afresh each time.
    """
    if old.status not in ISSUED_STATUSES or new.status not in ISSUED_STATUSES:
        return build()
    key = f"compare:{form}:{issued_stamp(old)}:{issued_stamp(new)}"
    return kept(key, build, timeout=COMPARISON_KEPT)


COMPARISON_KEPT = 7 * 24 * 3600  # seconds


def issued_stamp(version: Version) -> str:
    """What names an issued text as it stands: its pk and when it was last corrected (the only change it takes)."""
    return f"{version.pk}.{version.last_corrected_at.timestamp() if version.last_corrected_at else 0}"


def change_summary(changes) -> dict:
    summary = dict.fromkeys(diffing.ChangeKind, 0)
    for change in changes:
        summary[change.change] += 1
    return summary


def version_in_force(regulation: Regulation, day: datetime.date) -> Version | None:
    """The text in force on `day`: the last issued before it, unless repealed by then."""
    version = (
        regulation.versions.without_source()
        .filter(status__in=ISSUED_STATUSES)
        .filter(Q(effective__lte=day) | Q(effective__isnull=True, issued__lte=day))
        .order_by("-effective", "-issued", "-pk")
        .first()
    )
    if version is None or (version.repealed_on and version.repealed_on <= day):
        return None
    return version


def version_numbered(*, organization, number: str, year: int) -> Version | None:
    """The text that already carries this number, given by this organization in that year."""
    return (
        Version.objects.without_source()
        .select_related("regulation")
        .filter(issuing_organization=organization, issued_year=year, number=number)
        .first()
    )


def next_number(*, organization, kind: str, year: int) -> str:
    """The number the register gives next to a document of this kind of the organization that year: "10-QC/ĐUK"."""
    return numbering.next_free(organization=organization, code=DOCUMENT_CODE[kind], year=year)


def visible_regulations(user):
    """Regulations of organizations the user may read, including coordination regulations they are party to."""
    if user.is_superuser:
        return Regulation.objects.all()
    organizations = visible_organizations(user).values("pk")
    return Regulation.objects.filter(
        Q(organization__in=organizations) | Q(pk__in=_party_to(Q(organization__in=organizations)))
    )


def _party_to(condition: Q):
    return Regulation.parties.through.objects.filter(condition).values("regulation_id")


def regulations_of(user, organization):
    """The organization's regulations and those it is party to, each once.

    Whoever may read the organization reads all of them (`visible_regulations`: its own, and those
    it is party to), so no other rule is checked row by row.
    """
    if not can_view_organization(user, organization):
        return Regulation.objects.none()
    # One list of keys, its own then those it is party to, that the database reads by index.
    own = Regulation.objects.filter(organization=organization).values("pk").order_by()
    keys = own.union(_party_to(Q(organization=organization)).order_by())
    return Regulation.objects.filter(pk__in=keys).for_list().order_by("kind", "title")


def models_for(organization):
    """The model regulations an organization may adapt: its superiors' and its own (`access.model_applies_to`)."""
    paths = [*organization.ancestor_paths(), organization.path]
    return (
        Regulation.objects.filter(kind=RegulationKind.MODEL, organization__path__in=paths)
        .select_related("organization")
        .order_by("organization__depth", "title", "pk")
    )


def versions_of(regulation: Regulation):
    return list(regulation.versions.without_source().order_by("effective", "issued", "pk"))


def amendments_of(regulation: Regulation) -> list:
    """The regulation's amendment dossiers (reviews' rows, reached through their relation), with their stage."""
    return list(regulation.amendments.select_related("stage"))


def open_amendment(amendments):
    """The one still open among them: a second is never started while one is."""
    return next((amendment for amendment in amendments if amendment.is_open), None)


@dataclass
class ArticleStep(diffing.ChangeFlags):
    """The article as one version has it, and how it differs from the version before."""

    version: Version
    node: Provision
    text: str
    ops: list
    change: diffing.ChangeKind  # added, modified, renumbered or unchanged


def article_across_versions(provision: Provision) -> list[ArticleStep]:
    """The article in every version of its regulation that has it, oldest first (two queries).

    Of each version only the article is read (the one the provision is, or lies in) with what lies
    under it, however long the texts; a chapter or a part, which lies in no article, with the whole text.
    When every one of those versions is issued, the steps are kept for every reader under each version's
    stamp (`issued_stamp`: a correction draws them afresh, as a new version or a draft that has the article
    does), and the second query is not made; a draft's, or a model's, are drawn on every request.
    """
    regulation_id = provision.version.regulation_id
    versions = {
        v.pk: v
        for v in Version.objects.without_source()
        .filter(regulation_id=regulation_id, provisions__key=provision.key)
        .order_by()  # sorted below
    }
    ordered = sorted(versions.values(), key=lambda v: (v.in_force_from or datetime.date.max, v.pk))

    def draw() -> list[tuple]:
        return _article_steps(provision, ordered)

    if provision.version.regulation.is_model or any(v.status not in ISSUED_STATUSES for v in ordered):
        drawn = draw()
    else:
        stamps = ",".join(issued_stamp(version) for version in ordered)
        drawn = kept(f"article-steps:{provision.key}:{stamps}", draw, timeout=COMPARISON_KEPT)
    return [ArticleStep(versions[pk], node, text, ops, change) for pk, node, text, ops, change in drawn]


def _article_steps(provision: Provision, versions: list[Version]) -> list[tuple]:
    """(version pk, node, text, ops, change) of the article in each of `versions`, oldest first."""
    trees: dict[int, list] = {version.pk: [] for version in versions}
    nodes = Provision.objects.filter(version__in=list(trees))
    if provision.article_id is not None:
        articles = Provision.objects.filter(version__in=list(trees), key=provision.key).values("article_id")
        nodes = Provision.objects.filter(article__in=articles)
    for node in nodes.for_rendering():
        trees[node.version_id].append(node)
    steps, previous = [], None
    for version in versions:
        tree = build_tree(trees[version.pk])
        node = next(n for n in tree.all if n.key == provision.key)
        text = subtree_text(node)
        if previous is None:
            ops, change = [("insert", text)], diffing.ChangeKind.ADDED
        else:
            ops = diffing.word_diff_kept(previous[2], text)
            if not diffing.same_words(previous[2], text):
                change = diffing.ChangeKind.MODIFIED
            elif previous[1].label == node.label:
                change = diffing.ChangeKind.UNCHANGED
            else:
                change = diffing.ChangeKind.RENUMBERED
        previous = (version.pk, node, text, ops, change)
        steps.append(previous)
    return steps


def get_regulation_for_user(user, pk) -> Regulation:
    """The regulation, if the user may read it; otherwise (or for an id that is no id) it does not exist for them."""
    found = Regulation.objects.select_related("organization", "term", "based_on").filter(pk=as_id(pk)).order_by()
    regulation = next(iter(found), None)
    if regulation is None or not can_view_regulation(user, regulation):
        raise Http404("Không tìm thấy quy chế.")
    return regulation


def get_version_for_user(user, pk, *, neighbours: bool = False) -> Version:
    """The version with its regulation, organization and terms, if the user may read it; with the
    versions it replaces and that replaced it if `neighbours` (the version page, the API's)."""
    return get_versions_for_user(user, pk, neighbours=neighbours)[0]


# What a page of a version reads with it: its regulation's organization and term, and its own term.
VERSION_RELATED = ("regulation__organization", "regulation__term", "term")


def get_provision_for_user(user, version_pk, key) -> Provision:
    """The provision of this key in the version, read with its version (as `get_version_for_user` reads it) in
    one query, if the user may read the version; otherwise, or if it has no such provision, it does not exist."""
    found = (
        Provision.objects.select_related(*(f"version__{name}" for name in VERSION_RELATED))
        .defer("text_folded", "version__source_text")
        .filter(version_id=as_id(version_pk), key=key)
        .order_by()
    )
    provision = next(iter(found), None)
    if provision is None or not can_view_regulation(user, provision.version.regulation):
        raise Http404("Không tìm thấy điều này.")
    return provision


# Of the versions a version replaces and was replaced by, its page and the API show the link: number, dates, status.
_NEIGHBOUR_DEFERRED = [
    field.name
    for field in Version._meta.concrete_fields
    if field.name not in ("id", "regulation", "status", "number", "issued", "effective", "repealed_on")
]


def get_versions_for_user(user, *pks, neighbours: bool = False) -> list[Version]:
    """The versions of these pks, in one query, as `get_version_for_user` reads each (404 if one is missing).

    Read without the default ordering: ordering a row of a hundred columns costs Django more than the
    query (it hashes every column); of the neighbours only what links to them is read."""
    related = list(VERSION_RELATED)
    deferred = ["source_text"]
    if neighbours:
        related += ["replaces", "replaced_by"]
        deferred += [f"{name}__{field}" for name in ("replaces", "replaced_by") for field in _NEIGHBOUR_DEFERRED]
    found = {
        version.pk: version
        for version in Version.objects.select_related(*related)
        .defer(*deferred)
        .filter(pk__in=[as_id(pk) for pk in pks])
        .order_by()
    }
    versions = [found.get(as_id(pk)) for pk in pks]
    if any(version is None or not can_view_regulation(user, version.regulation) for version in versions):
        raise Http404("Không tìm thấy văn bản.")
    return versions


def version_document(version: Version) -> parsing.ParsedDocument:
    """A stored version as the parser's document, to render it back to plain text."""

    def convert(node):
        return parsing.ParsedProvision(
            kind=node.kind,
            label=node.label,
            heading=node.heading,
            text=node.text,
            line=0,
            children=[convert(child) for child in node.nodes],
        )

    return parsing.ParsedDocument(
        number=version.number,
        issued=version.issued,
        provisions=[convert(root) for root in provision_tree(version).roots],
        **{name: getattr(version, name) for name in Version.DOCUMENT_FIELDS},
    )


def version_as_text(version: Version) -> str:
    return parsing.render_text(version_document(version))
