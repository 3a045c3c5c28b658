"""Văn bản hợp nhất: the text in force on a day, each article changed since the original marked with the
document that changed it ("Điều này được sửa đổi, bổ sung theo Quy chế số 07-QC/ĐUK ngày 20/3/2026"), and
each article removed shown where it stood, as vbpl.vn and Indigo annotate their consolidated texts.

A regulation's versions are whole texts: an amendment issues the whole amended text, which replaces the
one before it, and each article keeps its key from one version to the next (`services.keys_carry_over`,
`services.version_copy_as_draft`). So the consolidated text is the text in force, and the document that
gave an article its current text is the first version, in the chain of versions issued up to the one in
force, from which on the article reads as it reads now (compared as `selectors.subtree_text`, heading and
body without the number: renumbering alone changes nothing). An article whose text is the original's
carries no note. Chapters and sections are not annotated, as the national database does not annotate them.
"""

import datetime
from dataclasses import dataclass

from django.db import models

from . import diffing
from .models import Provision, Regulation, Version
from .selectors import build_tree, issued_stamp, subtree_text, version_in_force


class NoteKind(models.TextChoices):
    AMENDED = "amended", "Sửa đổi, bổ sung"
    ADDED = "added", "Bổ sung"
    REPEALED = "repealed", "Bãi bỏ"


# How a document is named in a note, from its kind line ("QUY CHẾ LÀM VIỆC" is a Quy chế).
DOCUMENT_TYPES = ("NGHỊ QUYẾT", "QUYẾT ĐỊNH", "QUY CHẾ", "QUY ĐỊNH", "CHƯƠNG TRÌNH", "HƯỚNG DẪN", "KẾT LUẬN")


def document_name(version: Version) -> str:
    """ "Quy chế số 07-QC/ĐUK ngày 20/3/2026", as a note or a list of sources names a document."""
    kind_line = " ".join(version.kind_line.split()).upper()
    kind = next((name for name in DOCUMENT_TYPES if kind_line.startswith(name)), kind_line or "văn bản")
    day = version.issued
    return f"{kind.capitalize()} số {version.number}" + (f" ngày {day.day}/{day.month}/{day.year}" if day else "")


@dataclass
class Note:
    """Which document changed an article, and how."""

    kind: NoteKind
    version: Version
    # A removed article is named with the document it stood in: a later one may have given its number to another.
    subject: str = "Điều này"

    def __str__(self):
        return f"{self.subject} được {self.kind.label.lower()} theo {document_name(self.version)}."


@dataclass
class RemovedArticle:
    """An article of an earlier version that a later one left out, shown where it stood."""

    label: str
    heading: str
    note: Note
    is_removed = True
    is_article = is_division = is_clause = is_point = is_bullet = False


@dataclass
class Consolidated:
    chain: list[Version]  # the versions issued up to the text in force, oldest first: the original, then the amending
    items: list  # the text in force in document order (provisions with `note`), removed articles among them

    @property
    def version(self) -> Version:
        """The text in force."""
        return self.chain[-1]

    @property
    def original(self) -> Version:
        return self.chain[0]

    @property
    def amending(self) -> list[Version]:
        return self.chain[1:]

    @property
    def notes(self) -> list[tuple[str, Note]]:
        """The articles with a note, in document order: (label, note)."""
        return [(item.label, item.note) for item in self.items if item.note]


def chain_on(regulation: Regulation, day: datetime.date) -> list[Version] | None:
    """The versions issued up to the one in force on `day`, oldest first; None if none was in force (two queries)."""
    in_force = version_in_force(regulation, day)
    if in_force is None:
        return None
    issued = sorted(regulation.versions.without_source().issued(), key=lambda v: (v.in_force_from, v.issued, v.pk))
    return [*issued[: next(i for i, v in enumerate(issued) if v.pk == in_force.pk)], in_force]


def consolidated(chain: list[Version]) -> Consolidated:
    """The consolidated text of the versions of `chain` (`chain_on`), from one query."""
    nodes: dict[int, list] = {version.pk: [] for version in chain}
    for node in Provision.objects.filter(version__in=list(nodes)).for_rendering():
        nodes[node.version_id].append(node)
    trees = [build_tree(nodes[version.pk]) for version in chain]
    current = trees[-1]
    texts = [{article.key: subtree_text(article) for article in tree.articles} for tree in trees]
    for article in current.articles:
        article.note = _note(article.key, chain, texts)
    return Consolidated(chain=chain, items=_with_removed(current, chain, trees, texts))


def _note(key, chain, texts) -> Note | None:
    """The note of an article of the text in force: the first version from which on it reads as now."""
    text, first = texts[-1][key], len(chain) - 1
    while first > 0 and key in texts[first - 1] and diffing.same_words(texts[first - 1][key], text):
        first -= 1
    if first == 0:
        return None
    return Note(NoteKind.AMENDED if key in texts[first - 1] else NoteKind.ADDED, chain[first])


def _with_removed(current, chain, trees, texts) -> list:
    """The text in force, with each article an earlier version had and it has not, after the article
    that stood before it then and still stands (at the head of the articles if none does)."""
    standing = texts[-1]
    after: dict = {}  # the key of the article it follows (None: before the first), to the removed articles
    seen = set(standing)
    for index in range(len(chain) - 2, -1, -1):  # the latest version that had it says what it was
        articles = trees[index].articles
        for position, article in enumerate(articles):
            if article.key in seen:
                continue
            seen.add(article.key)
            previous = next((a.key for a in reversed(articles[:position]) if a.key in standing), None)
            subject = f"Điều {article.label} của {document_name(chain[index])}"
            removed = RemovedArticle(article.label, article.heading, Note(NoteKind.REPEALED, chain[index + 1], subject))
            after.setdefault(previous, []).append((index, position, removed))
    if not after:
        return current.all
    for entries in after.values():
        entries.sort(key=lambda entry: entry[:2])
    items, pending = [], None
    leading = [removed for *_, removed in after.get(None, [])]
    for node in current.all:
        if node.is_article or node.is_division:
            if pending:
                items.extend(pending)
            pending = None
        if node.is_article:
            if leading:
                items.extend(leading)
                leading = []
            pending = [removed for *_, removed in after.get(node.key, [])]
        items.append(node)
    items.extend([*(pending or []), *leading])
    return items


def kept_key(chain: list[Version]) -> str:
    """What names a consolidated text as it stands: its versions and their corrections (nothing else changes it)."""
    return "consolidated:" + ":".join(issued_stamp(version) for version in chain)
