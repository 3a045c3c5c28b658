"""A draft against the text in force as Word tracked changes (bản lấy ý kiến có đánh dấu thay đổi), and
reading tracked changes back.

The copy is the draft's Word document (regulations/word.py) in which every difference from the text in force
is a Word insertion or deletion (w:ins, w:del), so that accepting all changes gives exactly the draft and
rejecting all gives exactly the text in force. The texts are compared as the comparison table compares them:
articles (and the part, chapter and section headings) are paired by identity, then by content
(`diffing.pair_items`); paired articles that kept their order are compared paragraph by paragraph and word by
word; an article moved out of order is deleted where it stood and inserted where it stands now. Each change
bears who made it and when (`Authorship`), and its reasons are Word comments on the article.

Every article, clause and point of the draft is spanned by a hidden bookmark named after its key
(`word.bookmark_name`), so that what a member changes in the copy can be traced to the passage
(reviews/word.py); `IDENTIFICATION` properties name the draft the copy was made from.
"""

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from . import diffing
from .diffing import _in_order as rising_run  # the longest run of (new, old) pairs that keep their order
from .pdf import place_and_date
from .selectors import provision_tree
from .word import (
    Block,
    Revision,
    Run,
    Unit,
    WordDocument,
    close_bookmarks,
    document_title,
    front_blocks,
    open_bookmarks,
    text_units,
    version_closing,
    version_heading,
    w,
    word_date,
)

# Custom document properties that name what a copy was made from (File > Properties > Custom in Word).
AMENDMENT_PROPERTY = "QuyChe.HoSo"
DRAFT_PROPERTY = "QuyChe.DuThao"
DIGEST_PROPERTY = "QuyChe.NoiDung"
BASE_PROPERTY = "QuyChe.VanBanHienHanh"


@dataclass
class Note:
    """A comment to write on an article: a reason given for its change."""

    by: Revision
    text: str


@dataclass
class Authorship:
    """Who made the changes to each article (by its key), `default` for the rest, and the reasons to show."""

    default: Revision
    by_key: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # key -> [Note]

    def of(self, key) -> Revision:
        return self.by_key.get(key, self.default)

    def revisions(self) -> set[tuple[str, str]]:
        """(author, Word date) of every change and comment written: ours, when a copy comes back."""
        found = {(self.default.author, word_date(self.default.at))}
        found |= {(by.author, word_date(by.at)) for by in self.by_key.values()}
        found |= {(note.by.author, word_date(note.by.at)) for notes in self.notes.values() for note in notes}
        return found


def text_digest(tree) -> str:
    """What names a text as it stands: its provisions' keys, labels, headings and texts, hashed."""
    digest = hashlib.sha256()
    for node in tree.all:
        digest.update(f"{node.key}\x1f{node.label}\x1f{node.heading}\x1f{node.text}\x1e".encode())
    return digest.hexdigest()[:32]


def render_tracked_docx(
    base, draft, *, authorship: Authorship, line_numbers: bool = False, properties: dict | None = None
) -> bytes:
    """The draft as Word, with every difference from `base` (the text in force) as a tracked change.

    The letterhead and the closing are the draft's; the kind of document, subject, legal bases, enacting
    sentence and the whole text are compared. Word opens it with Track Changes on, so what a reader types is
    tracked too. `properties` are written as custom document properties.
    """
    draft_tree = provision_tree(draft)
    document = WordDocument(title=document_title(draft), track_changes=True, line_numbers=line_numbers)
    document.properties.update(properties or {})
    document.properties.setdefault(DIGEST_PROPERTY, text_digest(draft_tree))
    version_heading(document, draft, place_and_date=place_and_date(draft))
    writer = _TrackedWriter(document, authorship)
    for old, new in align_blocks(front_blocks(base), front_blocks(draft)):
        writer.block(old, new, authorship.default)
    writer.units(text_units(provision_tree(base)), text_units(draft_tree))
    version_closing(document, draft)
    return document.save()


def align_units(old: list[Unit], new: list[Unit]) -> list[tuple[Unit | None, Unit | None]]:
    """(old, new) in the order of the merged text: paired units that keep their order together, the rest
    each on its own (None on the other side), every unit of both texts once, each text in its own order.

    An old unit not kept in place (removed, or moved out of order) comes before the new units that stand
    where it stood, as the comparison table puts a removed article after the one it followed.
    """

    def items(units):
        return [diffing.Item(key=u.key, label=u.label, heading=u.heading, text=u.content) for u in units]

    pairs = {n: o for n, o in diffing.pair_items(items(old), items(new)).items() if old[o].kind == new[n].kind}
    kept = dict(rising_run(sorted(pairs.items())))
    next_kept = [len(old)] * (len(new) + 1)
    for index in range(len(new) - 1, -1, -1):
        next_kept[index] = kept[index] if index in kept else next_kept[index + 1]
    merged, old_index = [], 0
    for index, unit in enumerate(new):
        while old_index < next_kept[index]:
            merged.append((old[old_index], None))
            old_index += 1
        if index in kept:
            merged.append((old[kept[index]], unit))
            old_index = kept[index] + 1
        else:
            merged.append((None, unit))
    merged += [(unit, None) for unit in old[old_index:]]
    return merged


def align_blocks(old: list[Block], new: list[Block]) -> list[tuple[Block | None, Block | None]]:
    """The paragraphs of two versions of one unit, paired by the provision they write, else by position
    where they read alike; the rest deleted or inserted, the deleted first."""

    def identities(blocks):
        seen: dict = {}
        out = []
        for block in blocks:
            seen[block.key] = seen.get(block.key, -1) + 1
            out.append((block.key, seen[block.key]) if block.key is not None else (block.style, block.text))
        return out

    aligned = []
    matcher = difflib.SequenceMatcher(None, identities(old), identities(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        olds, news = old[i1:i2], new[j1:j2]
        if tag == "equal":
            aligned += list(zip(olds, news, strict=True))
            continue
        alike = [diffing.similarity(a.text, b.text) >= 0.5 for a, b in zip(olds, news, strict=False)]
        paired = len(alike) if all(alike) else 0
        aligned += list(zip(olds[:paired], news[:paired], strict=True))
        aligned += [(block, None) for block in olds[paired:]]
        aligned += [(None, block) for block in news[paired:]]
    return aligned


class _TrackedWriter:
    def __init__(self, document: WordDocument, authorship: Authorship):
        self.document = document
        self.authorship = authorship
        self.bookmarks: dict = {}

    def units(self, old: list[Unit], new: list[Unit]) -> None:
        in_new = {unit.key for unit in new}
        for old_unit, new_unit in align_units(old, new):
            unit = new_unit or old_unit
            by = self.authorship.of(unit.key)
            if new_unit is None:
                written = [self.block(block, None, by) for block in old_unit.blocks]
            elif old_unit is None:
                written = [self.block(None, block, by) for block in new_unit.blocks]
            else:
                written = [self.block(a, b, by) for a, b in align_blocks(old_unit.blocks, new_unit.blocks)]
            # A moved article's reasons go where it stands now, not on the copy struck out where it stood.
            if new_unit is not None or unit.key not in in_new:
                for note in self.authorship.notes.get(unit.key, []):
                    self.document.comment(written[0], written[-1], by=note.by, text=note.text)

    def block(self, old: Block | None, new: Block | None, by: Revision):
        document = self.document
        p = document.paragraph(style=(new or old).style)
        if new is not None:
            open_bookmarks(document, p, new, self.bookmarks)
        if old is None:
            document.mark_paragraph(p, "ins", by)
            inserted = document.revision(p, "ins", by)
            for run in new.runs:
                document.run(inserted, run)
        elif new is None:
            document.mark_paragraph(p, "del", by)
            deleted = document.revision(p, "del", by)
            for run in old.runs:
                document.run(deleted, run, deleted=True)
        elif old.text == new.text:
            for run in new.runs:
                document.run(p, run)
        else:
            for kind, run in _formatted(diffing.word_diff(old.text, new.text), old.runs, new.runs):
                if kind == "equal":
                    document.run(p, run)
                else:
                    document.run(document.revision(p, "del" if kind == "delete" else "ins", by), run,
                                 deleted=kind == "delete")  # fmt: skip
        if new is not None:
            close_bookmarks(document, p, new, self.bookmarks)
        return p


def _formatted(ops, old_runs: list[Run], new_runs: list[Run]):
    """(kind, run) for each op of a word diff, cut where the formatting changes (an article's bold head)."""
    old_at = new_at = 0
    for kind, text in ops:
        runs, start = (old_runs, old_at) if kind == "delete" else (new_runs, new_at)
        offset = 0
        for run in runs:
            low, high = max(start, offset), min(start + len(text), offset + len(run.text))
            if low < high:
                yield kind, run._replace(text=run.text[low - offset : high - offset])
            offset += len(run.text)
        if kind != "insert":
            old_at += len(text)
        if kind != "delete":
            new_at += len(text)


# Reading tracked changes -----------------------------------------------------------------------------------

INSERTIONS = (w("ins"), w("moveTo"))
DELETIONS = (w("del"), w("moveFrom"))
_TEXT_TAGS = (w("t"), w("delText"), w("br"), w("cr"), w("tab"))

Accept = Callable[[etree._Element], bool]  # whether a revision (w:ins or w:del) is accepted


def accept_all(revision) -> bool:
    return True


def reject_all(revision) -> bool:
    return False


def revision_of(element, paragraph):
    """The insertion or deletion the element lies in, within its paragraph; None if it lies in neither."""
    for ancestor in element.iterancestors():
        if ancestor is paragraph:
            return None
        if ancestor.tag in INSERTIONS or ancestor.tag in DELETIONS:
            return ancestor
    return None


def paragraph_text(paragraph, accept: Accept) -> str:
    """The paragraph's text with the revisions `accept` accepts applied and the others undone."""
    parts = []
    for element in paragraph.iter(*_TEXT_TAGS):
        revision = revision_of(element, paragraph)
        if revision is not None and accept(revision) != (revision.tag in INSERTIONS):
            continue
        if element.tag in (w("t"), w("delText")):
            parts.append(element.text or "")
        else:
            parts.append("\t" if element.tag == w("tab") else "\n")
    return "".join(parts)


def mark_revision(paragraph):
    """The insertion or deletion of the paragraph's own mark, if tracked."""
    marks = paragraph.find(f"{w('pPr')}/{w('rPr')}")
    if marks is None:
        return None
    return next((mark for mark in marks if mark.tag in INSERTIONS or mark.tag in DELETIONS), None)


def mark_kept(paragraph, accept: Accept) -> bool:
    revision = mark_revision(paragraph)
    if revision is None:
        return True
    return accept(revision) == (revision.tag in INSERTIONS)


def body_paragraphs(body) -> list:
    """The paragraphs of the document's body, outside tables (the letterhead and the closing)."""
    return [child for child in body if child.tag == w("p")]


def paragraph_texts(paragraphs, accept: Accept) -> list[str]:
    """The text of each paragraph as it reads once the revisions are accepted or rejected: a paragraph whose
    mark goes (a deleted paragraph accepted, an inserted one rejected) joins the next, as in Word."""
    texts, carried = [], ""
    for paragraph in paragraphs:
        text = carried + paragraph_text(paragraph, accept)
        if mark_kept(paragraph, accept):
            texts.append(text)
            carried = ""
        else:
            carried = text
    if carried:
        texts.append(carried)
    return texts
