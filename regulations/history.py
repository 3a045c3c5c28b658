"""An article's history in one version: one entry per change, with who made it, why, and what caused it.

A change is one write. An edit saves the article and the clauses and points under it together,
each row with its own history record, all with one moment, one user and one reason
(`_Draft.write` in editing.py, `provisions_create` in services.py); grouping the records of the
article and of everything ever under it by (moment, user, reason) gives the changes back. The
text a version starts with (an import, or the copy of the text in force into a draft) is where
the article comes from, not a change of it.

What caused a change may be known only to an app above this one: a draft is edited within an
amendment (reviews), whose records say which opinion each change took in. Regulations may not
import reviews, so the page asks: each function registered with `@cause` is given the version,
the article, the entries and the reader, and adds `links` to the entries it knows about (only
what the reader may see). A hook rather than a copy of those links here, because reviews
already records, once, which change answered which opinion; reviews/history.py registers it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.safestring import SafeString

from quyche import counts

from . import diffing
from .editing import CORRECTION_REASON
from .models import ISSUED_STATUSES, Provision, Version
from .selectors import issued_stamp, line_of
from .services import COPY_REASON, IMPORT_REASON

SYSTEM = "Hệ thống"  # the author of what no person did: the demo's seeding, the command line


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Entry(diffing.ChangeFlags):
    """One change of the article: when, by whom, why, and each line it changed, marked word by word."""

    at: datetime.datetime
    user: object | None
    reason: str
    change: diffing.ChangeKind  # added, modified, renumbered, or unchanged (nothing in the text changed)
    lines: list[SafeString]
    links: list[Link] = field(default_factory=list)

    @property
    def is_correction(self) -> bool:
        """A correction (đính chính) of an issued text, recorded by `editing.version_correct`."""
        return self.reason.startswith(f"{CORRECTION_REASON}: ")

    @property
    def author(self) -> str:
        return str(self.user) if self.user is not None else SYSTEM


@dataclass
class ArticleHistory:
    origin: Entry | None  # the import or the copy the article came with, if it did
    entries: list[Entry]


# What an entry is made of (`_entry`, `line_of`) and the author's name: the records' other columns stay unread.
RECORD_FIELDS = (
    "history_id", "history_date", "history_type", "history_change_reason", "id", "kind", "label", "heading", "text",
    "position", "history_user__username", "history_user__first_name", "history_user__last_name",
)  # fmt: skip

Cause = Callable[[Version, Provision, list[Entry], object], None]
CAUSES: list[Cause] = []


def cause(function: Cause) -> Cause:
    """Register a function that links entries of an article's history to what caused them."""
    CAUSES.append(function)
    return function


# What an issued text's article history shows besides its records: the names of their authors.
ISSUED_DEPENDS_ON = ("people",)


def article_history(article: Provision, *, user) -> ArticleHistory:
    """The changes of `article` (its `version` set) and of what lies under it, oldest first, in one query.

    An issued text's records change only by a correction, which stamps it (`selectors.issued_stamp`): its
    origin and entries are kept under that stamp (until a person is renamed); what caused each change is
    asked for each reader, who may not see every cause."""
    version = article.version
    if version.status in ISSUED_STATUSES and not version.regulation.is_model:
        name = f"article-history:{issued_stamp(version)}:{article.key}"
        origin, entries = counts.cached(name, ISSUED_DEPENDS_ON, lambda: _read(article))
    else:
        origin, entries = _read(article)
    if entries:
        for function in CAUSES:
            function(version, article, entries, user)
    return ArticleHistory(origin, entries)


def _read(article: Provision) -> tuple[Entry | None, list[Entry]]:
    records = (
        Provision.history.filter(Q(id=article.pk) | Q(article_id=article.pk))
        .select_related("history_user")
        .only(*RECORD_FIELDS)
        .order_by("history_date", "history_id")
    )
    writes: dict[tuple, list] = {}
    for record in records:
        key = (record.history_date, record.history_user_id, record.history_change_reason or "")
        writes.setdefault(key, []).append(record)
    origin, entries, last = None, [], {}
    for written in writes.values():
        entry = _entry(written, article.pk, last)
        if _is_origin(written):
            origin = origin or entry
        else:
            entries.append(entry)
    return origin, entries


def _is_origin(records) -> bool:
    reason = records[0].history_change_reason or ""
    loaded = reason in (IMPORT_REASON, COPY_REASON) or reason.startswith(f"{COPY_REASON} ")
    return loaded and all(record.history_type == "+" for record in records)


def _entry(records, article_id: int, last: dict) -> Entry:
    """One write, as lines marked against each provision's record before it (`last`, updated here)."""
    lines, article_before, article_after = [], None, None
    for record in sorted(records, key=lambda r: (r.position, r.history_id)):
        before = last.get(record.id)
        after = None if record.history_type == "-" else record
        if record.id == article_id:
            article_before, article_after = before, after
        if after is None:
            last.pop(record.id, None)
            ops = [("delete", line_of(before or record))]
        else:
            last[record.id] = after
            if before is None:
                ops = [("insert", line_of(after))]
            elif line_of(before) != line_of(after):
                ops = diffing.word_diff(line_of(before), line_of(after))
            else:
                continue
        lines.append(diffing.diff_markup(ops))
    first = records[0]
    return Entry(
        at=first.history_date,
        user=first.history_user,
        reason=first.history_change_reason or "",
        change=_kind(lines, article_before, article_after),
        lines=lines,
    )


def _kind(lines, before, after) -> diffing.ChangeKind:
    if after is not None and before is None:
        return diffing.ChangeKind.ADDED
    if not lines:
        return diffing.ChangeKind.UNCHANGED
    renumbered = before is not None and after is not None and before.label != after.label
    if renumbered and len(lines) == 1 and (before.heading, before.text) == (after.heading, after.text):
        return diffing.ChangeKind.RENUMBERED
    return diffing.ChangeKind.MODIFIED
