"""Model regulations (quy chế mẫu) and how far each adapted regulation keeps to its model.

A superior issues a model for its subordinates to adapt and may mark some of its content as
open (nội dung mở): each subordinate fills that in to suit itself. Everything under an open
provision is open too. An adapted regulation conforms where it keeps the model's text outside
open content; numbering is not content, and hoá / hóa, uỷ / ủy are the same words.

The adapted copy is a separate text (imported or drafted on its own), so its provisions share
no keys with the model's: articles are paired by content, then the clauses inside each pair.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from kombu.exceptions import OperationalError

from organizations.access import can_draft
from quyche import counts
from quyche.text import fold

from . import diffing
from .models import Provision, ProvisionKind, Regulation, RegulationKind, Version
from .selectors import Tree, body_text, build_tree

logger = logging.getLogger(__name__)

MARK_REASON = "Đánh dấu nội dung mở"
UNMARK_REASON = "Bỏ đánh dấu nội dung mở"
NOT_A_MODEL = "Chỉ quy chế mẫu mới có nội dung mở."
NO_MODEL = "Quy chế này không dựa trên quy chế mẫu nào."
MODEL_WITHOUT_TEXT = "Quy chế mẫu chưa có văn bản để đối chiếu."
# Regulations whose figures are computed together: their texts are in memory at once.
STORE_BATCH = 100


def can_mark_open_content(user, version: Version) -> bool:
    """The office of the organization that issues the model decides what its subordinates fill in."""
    regulation = version.regulation
    return regulation.kind == RegulationKind.MODEL and can_draft(user, regulation.organization)


@transaction.atomic
def open_content_set(*, provision: Provision, user, value: bool) -> Provision:
    """Mark a provision of a model regulation as open content, or take the mark off."""
    # Lock the provision alone: the regulation and its organization are only read.
    provision = (
        Provision.objects.select_for_update(of=("self",))
        .select_related("version__regulation__organization")
        .get(pk=provision.pk)
    )
    regulation = provision.version.regulation
    if not can_draft(user, regulation.organization):
        raise PermissionDenied("Chỉ văn phòng của cấp ủy ban hành quy chế mẫu mới đánh dấu được nội dung mở.")
    if regulation.kind != RegulationKind.MODEL:
        raise ValidationError(NOT_A_MODEL)
    if provision.open_content == value:
        return provision
    provision.open_content = value
    provision._change_reason = MARK_REASON if value else UNMARK_REASON
    provision._history_user = user
    provision.save(update_fields=["open_content"])
    conformance_text_changed(version=provision.version)
    return provision


@dataclass
class Report:
    """How an adapted regulation stands against its model, article by article.

    Each list holds `diffing.Change`s: `old` is the model's article, `new` the regulation's, each
    item with the key of its own provision (to link to it).
    """

    regulation: Regulation
    model: Regulation
    model_version: Version
    version: Version | None  # the regulation's current text; None when it has none yet
    missing: list[diffing.Change] = field(default_factory=list)  # in the model, not in the regulation
    changed: list[diffing.Change] = field(default_factory=list)  # changed outside open content
    filled_in: list[diffing.Change] = field(default_factory=list)  # changed inside open content only
    added: list[diffing.Change] = field(default_factory=list)  # in the regulation, not in the model
    unchanged: list[diffing.Change] = field(default_factory=list)  # the model's text, perhaps renumbered

    @property
    def model_articles(self) -> int:
        return len(self.missing) + len(self.changed) + len(self.filled_in) + len(self.unchanged)

    @property
    def conforming(self) -> int:
        return len(self.unchanged) + len(self.filled_in)

    @property
    def figure(self) -> int:
        return _figure(self.conforming, self.model_articles)

    def counts(self) -> dict:
        return {
            "model_articles": self.model_articles,
            "conforming": self.conforming,
            "unchanged": len(self.unchanged),
            "filled_in": len(self.filled_in),
            "changed": len(self.changed),
            "missing": len(self.missing),
            "added": len(self.added),
        }


def conformance_report(regulation: Regulation) -> Report:
    """The regulation's current text against its model's current text.

    Two queries (the two versions, then both texts), and one more if `based_on` is not loaded yet.
    """
    model = regulation.based_on
    if model is None:
        raise ValidationError(NO_MODEL)
    if model.current_version_id is None:
        raise ValidationError(MODEL_WITHOUT_TEXT)
    ids = [pk for pk in (model.current_version_id, regulation.current_version_id) if pk is not None]
    versions = Version.objects.without_source().in_bulk(ids)
    trees = _trees(versions)
    report = Report(
        regulation=regulation,
        model=model,
        model_version=versions[model.current_version_id],
        version=versions.get(regulation.current_version_id),
    )
    tree = trees.get(regulation.current_version_id, Tree())
    for verdict, model_article, article in _verdicts(trees[model.current_version_id], tree):
        getattr(report, verdict).append(_change(verdict, model_article, article))
    return report


def conformance_figures(regulations) -> dict[int, int]:
    """{regulation id: figure} for many regulations at once, in two queries however many they are.

    `regulations` is a queryset (read as a subquery) or a list of regulations. Those not based on
    a model, or whose model has no text yet, are left out; one with no text of its own scores 0.
    """
    ids = (
        regulations.values("pk") if isinstance(regulations, QuerySet) else [regulation.pk for regulation in regulations]
    )
    rows = list(
        Regulation.objects.filter(pk__in=ids, based_on__current_version__isnull=False).values_list(
            "pk", "current_version_id", "based_on__current_version_id"
        )
    )
    trees = _trees({version_id for row in rows for version_id in row[1:] if version_id is not None})
    figures = {}
    for pk, version_id, model_version_id in rows:
        verdicts = [verdict for verdict, _, _ in _verdicts(trees[model_version_id], trees.get(version_id, Tree()))]
        total = len(verdicts) - verdicts.count("added")
        figures[pk] = _figure(verdicts.count("unchanged") + verdicts.count("filled_in"), total)
    return figures


def conformance_store(regulations: QuerySet) -> None:
    """Compute and keep the figure of each of `regulations` (`Regulation.conformance`), a batch at a time.

    Those `conformance_figures` leaves out (no model, or a model without text) are kept empty.
    """
    ids = list(regulations.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), STORE_BATCH):
        batch = ids[start : start + STORE_BATCH]
        figures = conformance_figures(Regulation.objects.filter(pk__in=batch))
        Regulation.objects.bulk_update(
            [Regulation(pk=pk, conformance=figures.get(pk)) for pk in batch], ["conformance"]
        )
    counts.changed("regulations")  # a bulk update sends no signal


def conformance_refresh(*, regulation: Regulation) -> None:
    """`regulation`'s current text is another one: its figure now; those of its adaptations, if it is a
    model, on the worker once this is committed (a model may have thousands of them)."""
    if regulation.based_on_id is not None:
        conformance_store(Regulation.objects.filter(pk=regulation.pk))
    if regulation.is_model:
        transaction.on_commit(lambda: _queue_adaptations(regulation.pk))


def _queue_adaptations(model_id: int) -> None:
    from . import tasks

    try:
        tasks.store_conformance_of_adaptations.delay(model_id)
    except OperationalError as error:
        # The broker is down: slower here than on the worker, but no figure is left behind.
        logger.error("Could not queue the conformance of model %s's adaptations (%s): computed here.", model_id, error)
        conformance_store(Regulation.objects.filter(based_on_id=model_id))


def conformance_text_changed(*, version: Version) -> None:
    """The text of `version` changed in place (a draft edited, a correction, open content marked): the
    figures that read it, if it is the current text of its regulation."""
    regulation = Regulation.objects.filter(current_version=version).first()
    if regulation is not None:
        conformance_refresh(regulation=regulation)


def _figure(conforming: int, total: int) -> int:
    """Per cent of the model's articles kept, rounded down: 100 only when every one of them is."""
    return 100 * conforming // total if total else 100


def _trees(version_ids) -> dict[int, Tree]:
    """The text of each version, all in one query, marked with what is open content."""
    nodes: dict[int, list] = {pk: [] for pk in version_ids}
    for node in Provision.objects.filter(version_id__in=nodes).for_rendering():
        nodes[node.version_id].append(node)
    trees = {pk: build_tree(rows) for pk, rows in nodes.items()}
    for tree in trees.values():
        for root in tree.roots:
            _prepare(root, inherited_open=False)
    return trees


def _prepare(node, *, inherited_open: bool) -> None:
    """Fold each node's words once, and note whether it is open content or holds some.

    `shape` is the words of the provision and of everything under it, without the numbers:
    two provisions of the same shape say the same thing, however they are numbered.
    """
    node.folded = (node.kind, fold(node.heading), fold(node.text))
    node.in_open_content = inherited_open or node.open_content
    node.holds_open_content = node.in_open_content
    for child in node.nodes:
        _prepare(child, inherited_open=node.in_open_content)
        node.holds_open_content |= child.holds_open_content
    node.shape = (node.folded, tuple(child.shape for child in node.nodes))


def _verdicts(model_tree: Tree, tree: Tree):
    """(verdict, model article, article) for each model article in order, then for each article added."""
    model_articles, articles = model_tree.articles, tree.articles
    pairs = _align(model_articles, articles)
    for index, model_article in enumerate(model_articles):
        if index not in pairs:
            yield "missing", model_article, None
            continue
        article = articles[pairs[index]]
        if model_article.shape == article.shape:
            yield "unchanged", model_article, article
        else:
            yield ("changed" if _deviates(model_article, article) else "filled_in"), model_article, article
    paired = set(pairs.values())
    for index, article in enumerate(articles):
        if index not in paired:
            yield "added", None, article


def _change(verdict: str, model_article, article) -> diffing.Change:
    old = _item(model_article, key=model_article.key) if model_article else None
    new = _item(article, key=article.key) if article else None
    if verdict == "missing":
        return diffing.Change(diffing.ChangeKind.REMOVED, old, None)
    if verdict == "added":
        return diffing.Change(diffing.ChangeKind.ADDED, None, new)
    if verdict == "unchanged":
        kind = diffing.ChangeKind.UNCHANGED if old.label == new.label else diffing.ChangeKind.RENUMBERED
        return diffing.Change(kind, old, new)
    return diffing.Change(diffing.ChangeKind.MODIFIED, old, new, diffing.word_diff(old.content, new.content))


def _item(node, *, key=None) -> diffing.Item:
    return diffing.Item(key=key, label=node.label, heading=node.heading, text=body_text(node))


def _deviates(model_node, node) -> bool:
    """Whether `node` differs from the model's outside open content."""
    if model_node.in_open_content:
        return False
    if model_node.folded != node.folded:
        return True
    if not model_node.holds_open_content:
        return model_node.shape != node.shape
    pairs = _align(model_node.nodes, node.nodes)
    if len(pairs) < len(node.nodes):
        return True  # something added beside the open content
    return any(
        _deviates(child, node.nodes[pairs[index]]) if index in pairs else not child.in_open_content
        for index, child in enumerate(model_node.nodes)
    )


def _align(model_nodes: list, nodes: list) -> dict[int, int]:
    """{model index: index} for the provisions of the adapted text that continue the model's.

    The two texts share no provision keys; the shape stands in for one, so that provisions kept
    word for word are paired at once (as content matching would pair them first anyway) and
    only the others are compared for similarity: most of an adapted text is the model's.
    """
    model_items = [_item(node, key=node.shape) for node in model_nodes]
    items = [_item(node, key=node.shape) for node in nodes]
    model_index = {id(item): index for index, item in enumerate(model_items)}
    index_of = {id(item): index for index, item in enumerate(items)}
    pairs = {
        model_index[id(change.old)]: index_of[id(change.new)]
        for change in diffing.compare_items(model_items, items)
        if change.old is not None and change.new is not None
    }
    _pair_filled_in(model_nodes, nodes, pairs)
    return pairs


def _pair_filled_in(model_nodes: list, nodes: list, pairs: dict[int, int]) -> None:
    """Open content once filled in may no longer resemble the model's: pair it with what stands in its place.

    That is, in the same gap between paired neighbours: the provision with the same heading (an
    article) or the same number (a clause, a point), else the only one there when the model has
    only one there too.
    """
    used = set(pairs.values())
    start = 0
    while start < len(model_nodes):
        if start in pairs:
            start += 1
            continue
        end = start
        while end < len(model_nodes) and end not in pairs:
            end += 1
        low = pairs[start - 1] + 1 if start else 0
        high = pairs[end] if end < len(model_nodes) else len(nodes)
        free = [index for index in range(low, high) if index not in used]
        for model_position in range(start, end):
            model_node = model_nodes[model_position]
            if not model_node.holds_open_content:
                continue
            same = [index for index in free if _same_place(model_node, nodes[index])]
            if not same and end - start == 1 and len(free) == 1 and nodes[free[0]].kind == model_node.kind:
                same = free
            if same:
                pairs[model_position] = same[0]
                used.add(same[0])
                free.remove(same[0])
        start = end


def _same_place(model_node, node) -> bool:
    if model_node.kind != node.kind:
        return False
    if model_node.kind == ProvisionKind.ARTICLE:
        # Articles are renumbered when one is added or removed; their headings stay.
        return bool(model_node.heading) and model_node.folded[1] == node.folded[1]
    return bool(model_node.label) and model_node.label == node.label
