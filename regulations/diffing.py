"""Comparing texts word by word, and two versions of a regulation article by article.

Spelling variants in use side by side (hoá / hóa, uỷ / ủy) are not changes: similarity and
equality are judged on the folded form, while word diffs show the text as written.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.safestring import SafeString, mark_safe

from quyche.text import fold

# Words and numbers (with any combining marks of decomposed text), single punctuation marks, and
# runs of white space, so that "".join(tokens) gives the text back.
_TOKEN = re.compile(r"(?:\w|[\u0300-\u036f])+|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[("equal" | "delete" | "insert", text), ...]; equal + delete give old, equal + insert give new."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    opcodes = matcher.get_opcodes()
    ops: list[tuple[str, str]] = []
    deleted, inserted = [], []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part, new_part = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        # A lone space between two changes joins them, so a rewritten phrase reads as one
        # deletion and one insertion rather than a word-by-word zigzag.
        between_changes = (deleted or inserted) and index + 1 < len(opcodes)
        if tag == "equal" and not (between_changes and old_part.isspace()):
            _flush(ops, deleted, inserted)
            ops.append(("equal", old_part))
        else:
            deleted.append(old_part)
            inserted.append(new_part)
    _flush(ops, deleted, inserted)
    return ops


def _flush(ops: list[tuple[str, str]], deleted: list[str], inserted: list[str]) -> None:
    for kind, parts in (("delete", deleted), ("insert", inserted)):
        text = "".join(parts)
        if text:
            ops.append((kind, text))
        parts.clear()


def similarity(old: str, new: str) -> float:
    """0..1, on folded words and punctuation."""
    old_tokens, new_tokens = _folded_tokens(old), _folded_tokens(new)
    if not old_tokens and not new_tokens:
        return 1.0
    return difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).ratio()


def _folded_tokens(text: str) -> list[str]:
    return [token for token in tokenize(fold(text)) if not token.isspace()]


# A word's last character (with any combining marks after it), and a word's first character.
_WORD_END = re.compile(r"\w[\u0300-\u036f]*$")
_WORD_START = re.compile(r"\w")


def diff_html(ops: list[tuple[str, str]]) -> str:
    """The ops marked up, `<del>` and `<ins>`, every piece of text escaped.

    A deletion and the insertion that replaces it are shown side by side, so when both meet at a
    letter ("vụ" struck out, "chuẩn bị" put in) a space goes between the two marks, in neither:
    the reader sees "vụ chuẩn bị", not "vụchuẩn bị", and each side of the diff keeps its own text.
    """
    marks = {"insert": "<ins>{}</ins>", "delete": "<del>{}</del>", "equal": "{}"}
    parts, previous = [], ("", "")
    for kind, text in ops:
        if previous[0] == "delete" and kind == "insert" and _WORD_END.search(previous[1]) and _WORD_START.match(text):
            parts.append(" ")
        parts.append(marks[kind].format(html.escape(text)))
        previous = (kind, text)
    return "".join(parts)


@dataclass
class Item:
    """One article (or clause) of a version, as compared."""

    key: object | None  # the same key in both versions means the same article; None when unknown
    label: str
    heading: str
    text: str  # the whole text, clauses included

    @property
    def content(self) -> str:
        return "\n".join(part for part in (self.heading, self.text) if part)


class ChangeKind(models.TextChoices):
    """What happened to an article between two texts; the values appear in the API and in CSS classes."""

    MODIFIED = "modified", "Sửa đổi"
    ADDED = "added", "Bổ sung"
    REMOVED = "removed", "Bãi bỏ"
    RENUMBERED = "renumbered", "Đánh số lại"
    UNCHANGED = "unchanged", "Giữ nguyên"


class ChangeFlags:
    """`row.is_added` and the like for templates, on anything with a `change` (a ChangeKind)."""

    change: ChangeKind

    @property
    def is_added(self) -> bool:
        return self.change == ChangeKind.ADDED

    @property
    def is_modified(self) -> bool:
        return self.change == ChangeKind.MODIFIED

    @property
    def is_removed(self) -> bool:
        return self.change == ChangeKind.REMOVED

    @property
    def is_renumbered(self) -> bool:
        return self.change == ChangeKind.RENUMBERED


@dataclass
class Change(ChangeFlags):
    change: ChangeKind
    old: Item | None
    new: Item | None
    ops: list[tuple[str, str]] = field(default_factory=list)

    @property
    def old_label(self) -> str | None:
        return self.old.label if self.old else None

    @property
    def new_label(self) -> str | None:
        return self.new.label if self.new else None


def compare_items(old: list[Item], new: list[Item], *, threshold: float = 0.5) -> list[Change]:
    """Pair the articles of two versions and say what happened to each.

    Pairs are made by key first, then by content similarity (best pairs first, each item used
    once), never by label alone: after an insertion every later article changes its number.
    The result follows the new version; a removed article comes right after the one that
    preceded it in the old version.
    """
    pairs = _pair_by_key(old, new)
    pairs.update(_pair_by_content(old, new, pairs, threshold))

    removed_after: dict[int, list[int]] = {}  # new index (-1: the start) -> removed old indexes
    new_of_old = {old_index: new_index for new_index, old_index in pairs.items()}
    anchor = -1
    for old_index in range(len(old)):
        if old_index in new_of_old:
            anchor = new_of_old[old_index]
        else:
            removed_after.setdefault(anchor, []).append(old_index)

    changes = [Change(ChangeKind.REMOVED, old[index], None) for index in removed_after.get(-1, [])]
    for new_index, item in enumerate(new):
        if new_index in pairs:
            changes.append(_paired_change(old[pairs[new_index]], item))
        else:
            changes.append(Change(ChangeKind.ADDED, None, item))
        changes += [Change(ChangeKind.REMOVED, old[index], None) for index in removed_after.get(new_index, [])]
    return changes


def _pair_by_key(old: list[Item], new: list[Item]) -> dict[int, int]:
    """{new index: old index} for items whose keys meet."""
    old_by_key: dict[object, list[int]] = {}
    for index, item in enumerate(old):
        if item.key is not None:
            old_by_key.setdefault(item.key, []).append(index)
    pairs = {}
    for index, item in enumerate(new):
        candidates = old_by_key.get(item.key) if item.key is not None else None
        if candidates:
            pairs[index] = candidates.pop(0)
    return pairs


def _pair_by_content(old: list[Item], new: list[Item], taken: dict[int, int], threshold: float) -> dict[int, int]:
    taken_old = set(taken.values())
    free_old = [index for index in range(len(old)) if index not in taken_old]
    free_new = [index for index in range(len(new)) if index not in taken]
    old_tokens = {index: _folded_tokens(old[index].content) for index in free_old}
    scored = []
    for new_index in free_new:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(_folded_tokens(new[new_index].content))  # cached across the old items
        for old_index in free_old:
            matcher.set_seq1(old_tokens[old_index])
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            score = matcher.ratio()
            if score >= threshold:
                # Among equal scores, prefer the nearer position, then document order.
                scored.append((-score, abs(new_index - old_index), new_index, old_index))
    pairs: dict[int, int] = {}
    used_old: set[int] = set()
    for _, _, new_index, old_index in sorted(scored):
        if new_index not in pairs and old_index not in used_old:
            pairs[new_index] = old_index
            used_old.add(old_index)
    return pairs


def _paired_change(old: Item, new: Item) -> Change:
    if fold(old.content) != fold(new.content):
        return Change(ChangeKind.MODIFIED, old, new, word_diff(old.content, new.content))
    return Change(ChangeKind.UNCHANGED if old.label == new.label else ChangeKind.RENUMBERED, old, new)


def diff_markup(ops: list[tuple[str, str]]) -> SafeString:
    """The marked-up diff for templates; safe because `diff_html` escapes every piece of text."""
    return mark_safe(diff_html(ops))  # noqa: S308
