"""Comparing texts word by word, and two versions of a regulation article by article.

Spelling variants in use side by side (hoá / hóa, uỷ / ủy) are not changes: similarity and
equality are judged on the folded form, while word diffs show the text as written.
"""

import bisect
import difflib
import heapq
import html
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.safestring import SafeString, mark_safe

from quyche.kept import kept, text_key
from quyche.text import fold

# Words and numbers (with any combining marks of decomposed text), single punctuation marks, and
# runs of white space, so that "".join(tokens) gives the text back.
_TOKEN = re.compile(r"(?:\w|[\u0300-\u036f])+|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[("equal" | "delete" | "insert", text), ...]; equal + delete give old, equal + insert give new."""
    if old == new:  # the matcher would take time to find it out (runs of white space repeat)
        return [("equal", old)] if old else []
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


def word_diff_kept(old: str, new: str) -> list[tuple[str, str]]:
    """`word_diff`, kept for every reader: it depends on the two texts and this code only."""
    key = f"word-diff:{text_key(old)}:{text_key(new)}"
    return kept(key, lambda: word_diff(old, new), timeout=WORD_DIFF_KEPT)


WORD_DIFF_KEPT = 7 * 24 * 3600  # seconds


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


def same_words(old: str, new: str) -> bool:
    """Whether `similarity` would be 1.0 (the same folded words and marks in the same order), without scoring."""
    return _folded_tokens(old) == _folded_tokens(new)


# The tokens without the runs of white space between them.
_WORDS_AND_MARKS = re.compile(r"(?:\w|[\u0300-\u036f])+|[^\w\s]")


def _folded_tokens(text: str) -> list[str]:
    return _WORDS_AND_MARKS.findall(fold(text))


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
    pairs = pair_items(old, new, threshold=threshold)
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


def pair_items(old: list[Item], new: list[Item], *, threshold: float = 0.5) -> dict[int, int]:
    """{new index: old index}: the items of two versions that are the same article (or clause)."""
    pairs = _pair_by_key(old, new)
    pairs.update(_pair_by_content(old, new, pairs, threshold))
    return pairs


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


# Past this many (old, new) pairs left after identical texts are paired, an article is compared
# only with the old ones near where it stands (see `_candidates`), so a long text costs time in
# proportion to its length, not to its square.
ALL_PAIRS_UP_TO = 2_500
WINDOW = 12  # old articles either side of the expected place


def _pair_by_content(old: list[Item], new: list[Item], taken: dict[int, int], threshold: float) -> dict[int, int]:
    """{new index: old index}: the best-scoring pairs first, each item used once.

    Among equal scores the nearer position wins, then document order. Identical texts (score 1)
    are paired by their folded words alone; the rest are scored lazily from the cheapest bound
    up (lengths, then the words in common, then `ratio()`), which gives the same pairs as scoring
    every pair, since each bound is never below the score.
    """
    taken_old = set(taken.values())
    free_old = [index for index in range(len(old)) if index not in taken_old]
    free_new = [index for index in range(len(new)) if index not in taken]
    old_tokens = {index: _folded_tokens(old[index].content) for index in free_old}
    new_tokens = {index: _folded_tokens(new[index].content) for index in free_new}
    pairs = _pair_identical(old_tokens, new_tokens)
    used_old = set(pairs.values())
    free_old = [index for index in free_old if index not in used_old]
    free_new = [index for index in free_new if index not in pairs]
    if not free_old or not free_new:
        return pairs
    if len(free_old) * len(free_new) <= ALL_PAIRS_UP_TO:
        candidates = [(new_index, old_index) for new_index in free_new for old_index in free_old]
    else:
        candidates = _candidates(old, new, free_old, free_new, anchors={**taken, **pairs})
    matchers: dict[int, difflib.SequenceMatcher] = {}

    def matcher(new_index: int, old_index: int) -> difflib.SequenceMatcher:
        if new_index not in matchers:
            matchers[new_index] = difflib.SequenceMatcher(None, autojunk=False)
            matchers[new_index].set_seq2(new_tokens[new_index])  # kept for every old item it meets
        matchers[new_index].set_seq1(old_tokens[old_index])
        return matchers[new_index]

    # (-bound, distance, new, old, stage): stage 0 bounds by lengths, 1 by words in common, 2 is the score.
    heap = []
    for new_index, old_index in candidates:
        shorter, longer = sorted((len(old_tokens[old_index]), len(new_tokens[new_index])))
        bound = 2.0 * shorter / (shorter + longer) if longer else 1.0  # SequenceMatcher.real_quick_ratio
        if bound >= threshold:
            heap.append((-bound, abs(new_index - old_index), new_index, old_index, 0))
    heapq.heapify(heap)
    while heap:
        _, distance, new_index, old_index, stage = heapq.heappop(heap)
        if new_index in pairs or old_index in used_old:
            continue
        if stage == 2:
            pairs[new_index] = old_index
            used_old.add(old_index)
            continue
        scored = matcher(new_index, old_index)
        score = scored.quick_ratio() if stage == 0 else scored.ratio()
        if score >= threshold:
            heapq.heappush(heap, (-score, distance, new_index, old_index, stage + 1))
    return pairs


def _pair_identical(old_tokens: dict[int, list[str]], new_tokens: dict[int, list[str]]) -> dict[int, int]:
    """Items whose folded words are the same (a score of 1): the nearest first, then in document order."""
    old_by_words: dict[tuple, list[int]] = {}
    for old_index, tokens in old_tokens.items():
        old_by_words.setdefault(tuple(tokens), []).append(old_index)
    candidates = sorted(
        (abs(new_index - old_index), new_index, old_index)
        for new_index, tokens in new_tokens.items()
        for old_index in old_by_words.get(tuple(tokens), ())
    )
    pairs: dict[int, int] = {}
    used_old: set[int] = set()
    for _, new_index, old_index in candidates:
        if new_index not in pairs and old_index not in used_old:
            pairs[new_index] = old_index
            used_old.add(old_index)
    return pairs


def _candidates(old, new, free_old: list[int], free_new: list[int], anchors: dict[int, int]) -> list[tuple[int, int]]:
    """(new, old) pairs worth scoring in a long text: each new item with the free old items under
    the same heading (an article moved far keeps its heading more often than its text), and those
    within WINDOW of where it would stand, counted from the nearest paired or same-headed items
    before and after it that keep their order (an article moved far says nothing of its neighbours)."""
    old_by_heading: dict[str, list[int]] = {}
    for old_index in free_old:
        old_by_heading.setdefault(fold(old[old_index].heading), []).append(old_index)
    new_by_heading: dict[str, list[int]] = {}
    for new_index in free_new:
        new_by_heading.setdefault(fold(new[new_index].heading), []).append(new_index)
    hints = dict(anchors)
    for heading, new_indexes in new_by_heading.items():
        old_indexes = old_by_heading.get(heading, [])
        if heading and len(new_indexes) == len(old_indexes) == 1:
            hints[new_indexes[0]] = old_indexes[0]
    ordered = _in_order(sorted(hints.items()))
    candidates = set()
    for new_index in free_new:
        place = bisect.bisect(ordered, (new_index,))
        expected = [round(new_index * len(old) / len(new))]
        if place > 0:
            before_new, before_old = ordered[place - 1]
            expected.append(before_old + new_index - before_new)
        if place < len(ordered):
            after_new, after_old = ordered[place]
            expected.append(after_old - (after_new - new_index))
        for centre in expected:
            low = bisect.bisect_left(free_old, centre - WINDOW)
            high = bisect.bisect_right(free_old, centre + WINDOW)
            candidates.update((new_index, old_index) for old_index in free_old[low:high])
        same = old_by_heading.get(fold(new[new_index].heading), []) if new[new_index].heading else []
        if len(same) <= WINDOW:
            candidates.update((new_index, old_index) for old_index in same)
    return sorted(candidates)


def _in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (new, old) pairs, sorted by new, whose old indexes rise too."""
    tails: list[int] = []  # tails[k]: the smallest old index ending a rising run of k + 1 pairs
    ends: list[int] = []  # the position in `pairs` of that run's last pair
    previous: list[int] = []
    for position, (_, old_index) in enumerate(pairs):
        length = bisect.bisect_left(tails, old_index)
        if length == len(tails):
            tails.append(old_index)
            ends.append(position)
        else:
            tails[length], ends[length] = old_index, position
        previous.append(ends[length - 1] if length else -1)
    run, position = [], ends[-1] if ends else -1
    while position != -1:
        run.append(pairs[position])
        position = previous[position]
    return run[::-1]


def _paired_change(old: Item, new: Item) -> Change:
    if fold(old.content) != fold(new.content):
        return Change(ChangeKind.MODIFIED, old, new, word_diff(old.content, new.content))
    return Change(ChangeKind.UNCHANGED if old.label == new.label else ChangeKind.RENUMBERED, old, new)


def diff_markup(ops: list[tuple[str, str]]) -> SafeString:
    """The marked-up diff for templates; safe because `diff_html` escapes every piece of text."""
    return mark_safe(diff_html(ops))  # noqa: S308
