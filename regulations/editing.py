"""Editing a draft version article by article, as office staff amend a regulation in the browser.

Only a draft is edited. Each function loads the draft's text as a tree, changes it in memory and
writes the difference: every provision that changes gets a history row with who and why, clauses
and points that continue keep their identity (`key`), articles are numbered 1..N again after an
insertion, removal or move, and positions are rewritten to follow the document.

Two editors of one draft are serialized by a lock on the version row: any edit may shift the
positions of the whole text, and positions are unique per version. An editor who saves an
article from a text older than the stored one is refused (`ConcurrentEdit`), never overwrites it.
"""

import datetime
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from quyche.text import nfc

from . import diffing, parsing
from .access import can_correct
from .conformance import conformance_text_changed
from .models import Correction, Provision, ProvisionKind, Version
from .selectors import body_text, build_tree, line_of, provision_tree
from .services import texts_changed

ISSUED_MESSAGE = "Văn bản đã ban hành không thể sửa."
# The history reason of a correction's records begins with it (regulations/history.py).
CORRECTION_REASON = "Đính chính"
CONTAINER_KINDS = (ProvisionKind.PART, ProvisionKind.CHAPTER, ProvisionKind.SECTION)
# Clauses and points are named by their label ("khoản 2"), so one rewritten beyond recognition
# is still the same clause; bullets and paragraphs have no name and are matched by content only.
NAMED_KINDS = (ProvisionKind.CLAUSE, ProvisionKind.POINT)
# The article's heading is taken as typed; the parser is given this one so it never reads it.
_HEADING = "Tiêu đề"


class ConcurrentEdit(ValidationError):
    """The article was saved by someone else since this editor loaded it: their text, to show beside yours."""

    def __init__(self, message: str, *, current_heading: str, current_body: str, current_revision: int):
        super().__init__(message, code="concurrent_edit")
        self.current_heading = current_heading
        self.current_body = current_body
        self.current_revision = current_revision


def article_body(*, article: Provision) -> str:
    """The editable text of an article's body: its own text, then every provision under it, one per line."""
    tree = build_tree(Provision.objects.filter(article=article).for_rendering())
    node = next(n for n in tree.all if n.pk == article.pk)
    lines = [node.text] if node.text else []
    stack = list(reversed(node.nodes))
    while stack:
        child = stack.pop()
        lines.append(line_of(child))
        stack.extend(reversed(child.nodes))
    return "\n".join(lines)


@transaction.atomic
def article_update(
    *, article: Provision, user, heading: str, body: str, reason: str, expected_revision: int
) -> Provision:
    """Replace an article's heading and body, keeping the identity of the clauses and points that continue."""
    version, article = _lock_article(article)
    _refuse_stale(article, expected_revision=expected_revision, user=user)
    reason = _required_reason(reason)
    draft = _Draft(version, user=user, reason=reason)
    node = draft.node(article)
    typed = _read_article(version=version, label=node.label, heading=heading, body=body, own_text=bool(node.text))
    if _shape(node) == _shape(typed):
        raise ValidationError("Nội dung không thay đổi.")
    draft.set(node, heading=typed.heading, text=typed.text, revision=node.revision + 1)
    draft.sync(node, typed.nodes)
    draft.write()
    return Provision.objects.get(pk=node.pk)


def article_check(*, version: Version, label: str, heading: str, body: str) -> None:
    """Read an article's heading and body as saving them would, without saving: the same errors, if any."""
    _read_article(version=version, label=label, heading=heading, body=body, own_text=False)


@transaction.atomic
def article_insert(
    *,
    version: Version,
    after: Provision | None,
    user,
    heading: str,
    body: str,
    reason: str,
    parent: Provision | None = None,
) -> Provision:
    """Insert a new article right after `after`, or first in `parent` (or in the text); articles are renumbered."""
    version = _lock_draft(version.pk)
    reason = _required_reason(reason)
    draft = _Draft(version, user=user, reason=reason)
    node = _blank_article(version)
    draft.insert(node, *draft.place(after=after, parent=parent))
    draft.renumber()
    # Read with the number it will have, as the parser would read it in the whole text.
    typed = _read_article(version=version, label=node.label, heading=heading, body=body, own_text=False)
    node.heading, node.text, node.nodes = typed.heading, typed.text, typed.nodes
    node.prepare()
    draft.write()
    return Provision.objects.get(pk=node.pk)


@transaction.atomic
def article_remove(*, article: Provision, user, reason: str, expected_revision: int) -> None:
    """Remove an article and everything under it; the articles after it are renumbered."""
    version, article = _lock_article(article)
    _refuse_stale(article, expected_revision=expected_revision, user=user)
    draft = _Draft(version, user=user, reason=_required_reason(reason))
    draft.remove(draft.node(article))
    draft.renumber()
    draft.write()


@transaction.atomic
def article_move(
    *, article: Provision, after: Provision | None, parent: Provision | None = None, user, reason: str
) -> Provision:
    """Move an article (with its clauses) after another one, possibly into another chapter; renumber."""
    version, article = _lock_article(article)
    draft = _Draft(version, user=user, reason=_required_reason(reason))
    draft.move(draft.node(article), after=after, parent=parent)
    draft.renumber()
    draft.write()
    return Provision.objects.get(pk=article.pk)


@transaction.atomic
def version_correct(
    *, version: Version, user, key, heading: str, body: str, reason: str, number: str = "", issued=None
) -> Correction:
    """Đính chính: put an article of an issued text right in place, recorded with who, when and why."""
    version = (
        Version.objects.without_source()
        .select_related("regulation__organization")
        .select_for_update(of=("self",))
        .get(pk=version.pk)
    )
    if version.is_draft:
        raise ValidationError("Dự thảo được sửa trực tiếp, không cần đính chính.")
    if not can_correct(user, version):
        raise PermissionDenied("Chỉ văn phòng cấp ủy ban hành văn bản mới được đính chính.")
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise ValidationError("Cần nêu lý do đính chính.")
    article = Provision.objects.select_for_update().filter(version=version, key=key, kind=ProvisionKind.ARTICLE).first()
    if article is None:
        raise ValidationError("Không tìm thấy điều này trong văn bản.")
    draft = _Draft(version, user=user, reason=f"{CORRECTION_REASON}: {reason}")
    node = draft.node(article)
    typed = _read_article(version=version, label=node.label, heading=heading, body=body, own_text=bool(node.text))
    if _shape(node) == _shape(typed):
        raise ValidationError("Nội dung không thay đổi.")
    draft.set(node, heading=typed.heading, text=typed.text)
    draft.sync(node, typed.nodes)
    with _correcting():
        draft.write()
    correction = Correction.objects.create(
        version=version,
        article_key=article.key,
        article_label=article.label,
        reason=reason,
        number=nfc(number).strip(),
        issued=issued,
        created_by=user,
    )
    # The kept PDF printed the text before the correction: it is printed again when next asked for.
    old_pdf = version.pdf.name
    Version.objects.filter(pk=version.pk).update(last_corrected_at=correction.created_at, pdf="", pdf_requested_at=None)
    if old_pdf:
        transaction.on_commit(lambda: version.pdf.storage.delete(old_pdf))
    return correction


@contextmanager
def _correcting():
    """Let this transaction's writes through PostgreSQL's guard on issued texts (migration 0011), then no more."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL quyche.correction = 'on'")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL quyche.correction = 'off'")


def preview_insert(
    *, version: Version, after: Provision | None, parent: Provision | None = None
) -> list[tuple[str, str]]:
    """(old label, new label) of the articles an insertion would renumber, the new one as ("", "N")."""
    draft = _Draft(version)
    draft.insert(_blank_article(version), *draft.place(after=after, parent=parent))
    return draft.renumber()


def preview_remove(*, article: Provision) -> list[tuple[str, str]]:
    draft = _Draft(article.version)
    draft.remove(draft.node(article))
    return draft.renumber()


def preview_move(
    *, article: Provision, after: Provision | None, parent: Provision | None = None
) -> list[tuple[str, str]]:
    draft = _Draft(article.version)
    draft.move(draft.node(article), after=after, parent=parent)
    return draft.renumber()


# Checks ----------------------------------------------------------------------------------------


def _lock_draft(version_pk: int) -> Version:
    version = Version.objects.without_source().select_for_update().get(pk=version_pk)
    if not version.is_draft:
        raise ValidationError(ISSUED_MESSAGE)
    return version


def _lock_article(article: Provision) -> tuple[Version, Provision]:
    # The version first, always: every edit takes the locks in the same order, so none deadlocks.
    version = _lock_draft(article.version_id)
    current = Provision.objects.select_for_update().filter(pk=article.pk, version=version).first()
    if current is None:
        raise ValidationError("Điều này không còn trong dự thảo; hãy tải lại trang.")
    if current.kind != ProvisionKind.ARTICLE:
        raise ValidationError("Mỗi lần chỉ sửa, thêm, bỏ hoặc chuyển được một điều.")
    return version, current


def _required_reason(reason: str) -> str:
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise ValidationError("Cần nêu lý do sửa đổi.")
    return reason


def _refuse_stale(article: Provision, *, expected_revision: int, user) -> None:
    if article.revision == expected_revision:
        return
    saved = (
        article.history.filter(revision=article.revision)
        .select_related("history_user")
        .order_by("history_date", "history_id")
        .first()
    )
    editor = saved.history_user if saved else None
    if editor is None:
        who = "người khác"
    elif editor.pk == getattr(user, "pk", None):
        who = "chính bạn (ở một cửa sổ khác)"
    else:
        who = str(editor)
    when = timezone.localtime(saved.history_date if saved else None)
    raise ConcurrentEdit(
        f"Điều {article.label} vừa được {who} sửa lúc {when:%H:%M ngày %d/%m/%Y}; "
        "nội dung của bạn chưa được lưu. Hãy xem bản mới và sửa lại.",
        current_heading=article.heading,
        current_body=article_body(article=article),
        current_revision=article.revision,
    )


# Reading what the editor typed -----------------------------------------------------------------


def _read_article(*, version: Version, label: str, heading: str, body: str, own_text: bool) -> Provision:
    """The article as typed, read by the import's parser: an unsaved Provision with `nodes`.

    The body's first plain line is the article's own text when the article had one (as
    "Điều 5. Tiêu đề: nội dung" is read on import), or when it carries on the heading.
    """
    heading = " ".join(nfc(heading).split())
    lines = nfc(body).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not heading and not any(line.strip() for line in lines):
        raise ValidationError("Cần nhập tiêu đề hoặc nội dung của điều.")
    for number, line in enumerate(lines, start=1):
        text = " ".join(line.split())
        # The parser ends the whole text there and reads the rest as recipients and signature.
        if text and parsing.ends_body(text):
            raise _line_error(
                number, f"«{_excerpt(text)}» là phần cuối văn bản (nơi nhận, chữ ký, phụ lục), không thuộc một điều."
            )
    article = _parse(label, lines)
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    opening = article.children[0] if article.children else None
    plain_first_line = opening is not None and opening.kind == ProvisionKind.PARAGRAPH and opening.line == first + 2
    if article.heading != _HEADING or (own_text and plain_first_line):
        article = _parse(label, lines, lead=first)
    node = Provision(version=version, kind=ProvisionKind.ARTICLE, label=label, heading=heading, text=article.text)
    node.prepare()
    node.nodes = [_unsaved(child, version) for child in article.children]
    return node


def _parse(label: str, lines: list[str], lead: int | None = None) -> parsing.ParsedProvision:
    """Body line N is line N + 1 of the text given to the parser, whichever way the first line is read."""
    head = f"Điều {label}. {_HEADING}"
    if lead is not None:
        head += f": {' '.join(lines[lead].split())}"
        lines = [*lines[:lead], "", *lines[lead + 1 :]]
    doc = parsing.parse_regulation("\n".join([head, *lines]))
    article, *others = doc.provisions
    if others:
        line = others[0].line - 1
        text = _excerpt(" ".join(lines[line - 1].split()))
        if others[0].kind == ProvisionKind.ARTICLE:
            raise _line_error(line, f"«{text}» là tiêu đề của một điều khác; mỗi lần chỉ sửa một điều.")
        raise _line_error(line, f"«{text}» là tiêu đề phần, chương hoặc mục, không đặt trong một điều được.")
    return article


def _unsaved(parsed: parsing.ParsedProvision, version: Version) -> Provision:
    node = Provision(version=version, kind=parsed.kind, label=parsed.label, heading=parsed.heading, text=parsed.text)
    node.prepare()
    node.nodes = [_unsaved(child, version) for child in parsed.children]
    return node


def _blank_article(version: Version) -> Provision:
    node = Provision(version=version, kind=ProvisionKind.ARTICLE)
    node.nodes = []
    return node


def _line_error(number: int, message: str) -> ValidationError:
    return ValidationError(f"Dòng {number} của nội dung điều: {message}")


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _shape(article: Provision) -> list[tuple]:
    """What an editor can change in an article: its heading, its text, and every line under it."""
    shape = [(article.heading, article.text)]
    stack = [(child, 1) for child in reversed(article.nodes)]
    while stack:
        node, depth = stack.pop()
        shape.append((depth, node.kind, node.label, node.text))
        stack.extend((child, depth + 1) for child in reversed(node.nodes))
    return shape


def _pair(olds: list[Provision], news: list[Provision]) -> dict[int, Provision]:
    """{id(new node): the old node it continues}, among nodes of one kind: by content, then by label."""
    pairs: dict[int, Provision] = {}
    for kind in dict.fromkeys(node.kind for node in news):
        old_items = [(_item(node), node) for node in olds if node.kind == kind]
        new_items = [(_item(node), node) for node in news if node.kind == kind]
        old_of = {id(item): node for item, node in old_items}
        new_of = {id(item): node for item, node in new_items}
        changes = diffing.compare_items([item for item, _ in old_items], [item for item, _ in new_items])
        for change in changes:
            if change.old is not None and change.new is not None:
                pairs[id(new_of[id(change.new)])] = old_of[id(change.old)]
        if kind in NAMED_KINDS:
            taken = {id(node) for node in pairs.values()}
            free = [node for _, node in old_items if id(node) not in taken]
            for _, node in new_items:
                same = next((old for old in free if old.label == node.label), None)
                if same is not None and id(node) not in pairs:
                    pairs[id(node)] = same
                    free.remove(same)
    return pairs


def _item(node: Provision) -> diffing.Item:
    return diffing.Item(key=None, label=node.label, heading=node.heading, text=body_text(node))


# The draft in memory ---------------------------------------------------------------------------


class _Draft:
    """A draft's whole text as a tree (`nodes` lists), changed in memory, then written at once."""

    def __init__(self, version: Version, *, user=None, reason: str = ""):
        self.version, self.user, self.reason = version, user, reason
        self.tree = provision_tree(version)
        self.by_pk = {node.pk: node for node in self.tree.all}
        self.stored = {node.pk: (node.position, node.depth) for node in self.tree.all}
        self.changed: dict[int, set[str]] = {}  # pk -> fields to save, with a history row
        self.reasons: dict[int, str] = {}
        self.removed: list[Provision] = []  # each before what lies under it

    def node(self, provision: Provision | None) -> Provision:
        node = self.by_pk.get(provision.pk) if provision is not None else None
        if node is None:
            raise ValidationError("Không tìm thấy điều khoản này trong dự thảo; hãy tải lại trang.")
        return node

    def siblings(self, parent: Provision | None) -> list[Provision]:
        return parent.nodes if parent is not None else self.tree.roots

    def parent_of(self, node: Provision) -> Provision | None:
        return self.by_pk.get(node.parent_id)

    def set(self, node: Provision, *, reason: str | None = None, **values) -> None:
        """Change fields of a node; a stored one is then saved with a history row (the first reason given)."""
        names = [name for name, value in values.items() if getattr(node, name) != value]
        for name in names:
            setattr(node, name, values[name])
        if names:
            self.touch(node, *names, reason=reason)

    def touch(self, node: Provision, *names: str, reason: str | None = None) -> None:
        if node.pk is None:
            return
        if {"heading", "text"} & set(names):
            node.prepare()
            names += ("text_folded",)
        self.changed.setdefault(node.pk, set()).update(names)
        self.reasons.setdefault(node.pk, reason or self.reason)

    # Structure --------------------------------------------------------------------------------

    def place(self, *, after: Provision | None, parent: Provision | None) -> tuple[Provision | None, int]:
        """Where an article goes: (parent node, index among its children)."""
        if after is not None:
            anchor = self.node(after)
            if anchor.kind != ProvisionKind.ARTICLE:
                raise ValidationError("Chỉ đặt được một điều sau một điều khác.")
            container = self.parent_of(anchor)
            if parent is not None and self.node(parent) is not container:
                raise ValidationError(f"Điều {anchor.label} không thuộc {self.node(parent).display_label}.")
            return container, self.siblings(container).index(anchor) + 1
        container = self.node(parent) if parent is not None else None
        if container is not None and container.kind not in CONTAINER_KINDS:
            raise ValidationError("Chỉ đặt được điều vào một phần, chương hoặc mục.")
        # First among the articles and sections, after any opening paragraphs.
        siblings = self.siblings(container)
        kinds = (ProvisionKind.ARTICLE, *CONTAINER_KINDS)
        return container, next((i for i, node in enumerate(siblings) if node.kind in kinds), len(siblings))

    def insert(self, node: Provision, parent: Provision | None, index: int) -> None:
        self.siblings(parent).insert(index, node)

    def remove(self, node: Provision) -> None:
        self.siblings(self.parent_of(node)).remove(node)
        self.drop(node)

    def drop(self, node: Provision) -> None:
        stack = [node]
        while stack:
            current = stack.pop()
            self.removed.append(current)
            stack.extend(current.nodes)

    def move(self, node: Provision, *, after: Provision | None, parent: Provision | None) -> None:
        if after is not None and after.pk == node.pk:
            raise ValidationError(f"Không thể chuyển Điều {node.label} ra sau chính nó.")
        old_parent = self.parent_of(node)
        old_index = self.siblings(old_parent).index(node)
        self.siblings(old_parent).remove(node)
        new_parent, index = self.place(after=after, parent=parent)
        if new_parent is old_parent and index == old_index:
            raise ValidationError(f"Điều {node.label} đã ở vị trí này.")
        self.insert(node, new_parent, index)
        self.set(node, parent_id=new_parent.pk if new_parent is not None else None)
        self.touch(node)

    def sync(self, old: Provision, news: list[Provision]) -> None:
        """Make `old`'s children read as `news`, level by level, keeping the stored nodes that continue."""
        pairs = _pair(old.nodes, news)
        kept = []
        for new in news:
            match = pairs.get(id(new))
            if match is None:
                kept.append(new)
                continue
            self.set(match, label=new.label, text=new.text)
            self.sync(match, new.nodes)
            kept.append(match)
        continuing = {id(node) for node in pairs.values()}
        for gone in old.nodes:
            if id(gone) not in continuing:
                self.drop(gone)
        old.nodes = kept

    def walk(self):
        """(node, depth, parent, article it belongs to) in document order."""
        stack = [(node, 0, None, None) for node in reversed(self.tree.roots)]
        while stack:
            node, depth, parent, article = stack.pop()
            if node.kind == ProvisionKind.ARTICLE:
                article = node
            yield node, depth, parent, article
            stack.extend((child, depth + 1, node, article) for child in reversed(node.nodes))

    def renumber(self) -> list[tuple[str, str]]:
        """Number the articles 1..N through the whole text; (old label, new label) of those that change."""
        changes = []
        articles = [node for node, *_ in self.walk() if node.kind == ProvisionKind.ARTICLE]
        for number, node in enumerate(articles, start=1):
            if node.label != str(number):
                changes.append((node.label, str(number)))
                self.set(node, label=str(number), reason=f"Đánh số lại ({self.reason})")
        return changes

    # Writing ----------------------------------------------------------------------------------

    def write(self) -> None:
        # Every history record of one write bears the same moment: the article's history reads
        # them back as one change (regulations/history.py).
        at = timezone.now()
        for node in reversed(self.removed):  # what lies under a provision goes before it
            self.sign(node, self.reason, at)
            node.delete()
        order = list(self.walk())
        # Positions are unique per version and checked row by row, so the rows that move go out
        # of the way first, above every position old or new, then come back in their place.
        offset = max([position for position, _ in self.stored.values()] + [len(order)]) + 1
        shifted = [node.pk for position, (node, *_) in enumerate(order) if node.pk and node.position != position]
        Provision.objects.filter(pk__in=shifted).update(position=F("position") + offset)
        created_articles = []
        for position, (node, depth, parent, article) in enumerate(order):
            node.position, node.depth = position, depth
            if node.pk is None:
                node.parent = parent
                node.article = article if article is not node else None
                self.sign(node, self.reason, at)
                node.save()
                if article is node:
                    node.article = node
                    created_articles.append(node.pk)
        # An article is its own article, which its insert cannot say yet (as on import).
        Provision.objects.filter(pk__in=created_articles).update(article=F("pk"))
        stored = [node for node, *_ in order if node.pk in self.stored]
        by_fields: dict[frozenset, list[Provision]] = {}
        for node in stored:
            if node.pk in self.changed:
                self.sign(node, self.reasons[node.pk], at)
                by_fields.setdefault(frozenset(self.changed[node.pk]), []).append(node)
        for fields, nodes in by_fields.items():
            fields = sorted({Provision._meta.get_field(name).name for name in fields} | {"position", "depth"})
            bulk_update_with_history(nodes, Provision, fields, batch_size=500, default_user=self.user)
        placed = [n for n in stored if n.pk not in self.changed and self.stored[n.pk] != (n.position, n.depth)]
        Provision.objects.bulk_update(placed, ["position", "depth"], batch_size=500)
        texts_changed()
        conformance_text_changed(version=self.version)

    def sign(self, node: Provision, reason: str, at: datetime.datetime) -> None:
        """Who, why and when, for the history record the node's next save or delete writes."""
        node._change_reason, node._history_user, node._history_date = reason, self.user, at
