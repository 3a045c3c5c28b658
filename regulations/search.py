"""Search over what the user may read, ignoring diacritics and the two spellings (uỷ / ủy, hoá / hóa).

Titles and provision texts are stored folded as well as written, so the same `contains` query
works on SQLite and PostgreSQL; each hit points to its article with a highlighted snippet.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.urls import reverse

from quyche.text import fold, highlight

from .models import Provision, ProvisionKind, Regulation, Version, VersionStatus, in_force_first
from .selectors import visible_regulations

MAX_RESULTS = 50
_TRIGRAM = re.compile(r"[^\W_]{3}")
# How many texts, in the order hits are listed, are searched first (about 20 provisions each).
WALKED = 100
VERSION_ORDER = (in_force_first(), "regulation_id", F("issued").desc(nulls_first=True), "id")
PROVISION_ORDER = (
    in_force_first("version__"), "version__regulation_id", F("version__issued").desc(nulls_first=True),
    "version_id", "position",
)  # fmt: skip


@dataclass
class Hit:
    regulation: Regulation
    version_id: int | None
    version_number: str
    version_status: str
    place: str  # "Điều 5, khoản 2" or "Tên quy chế"
    snippet: str  # escaped HTML with <mark>
    url: str

    @property
    def status_label(self) -> str:
        """The version's status when readers should notice it: draft, replaced or repealed ("" otherwise)."""
        if self.version_status in ("", VersionStatus.IN_FORCE):
            return ""
        return VersionStatus(self.version_status).label


def _words(query: str) -> list[str]:
    return [word for word in fold(query).split() if word]


def search(user, query: str, limit: int = MAX_RESULTS) -> list[Hit]:
    words = _words(query)
    if not words:
        return []
    regulations = visible_regulations(user)
    hits = []
    titled = regulations.filter(_contains("title_folded", words)).select_related("current_version", "organization")
    for regulation in titled[:limit]:
        version = regulation.current_version
        hits.append(
            Hit(
                regulation=regulation,
                version_id=version.pk if version else None,
                version_number=version.number if version else "",
                version_status=version.status if version else "",
                place="Tên quy chế",
                snippet=highlight(regulation.title, query),
                url=reverse("regulations:detail", args=[regulation.pk]),
            )
        )
    remaining = limit - len(hits)
    if remaining <= 0:
        return hits
    pks = _provisions_matching(words, regulations, remaining)
    loaded = (
        Provision.objects.filter(pk__in=pks)
        .select_related("version__regulation", "article", "parent")
        .defer("text_folded", "version__source_text", "article__text_folded", "parent__text_folded")
        .in_bulk()
    )
    provisions = [loaded[pk] for pk in pks]
    for provision in provisions:
        version = provision.version
        article = provision.article
        anchor = article.anchor if article else provision.anchor
        url = reverse("regulations:version", args=[version.pk]) + f"#{anchor}"
        hits.append(
            Hit(
                regulation=version.regulation,
                version_id=version.pk,
                version_number=version.number or "Dự thảo",
                version_status=version.status,
                place=place_of(provision),
                snippet=highlight(" ".join(p for p in (provision.heading, provision.text) if p), query),
                url=url,
            )
        )
    return hits


def _contains(field: str, words: list[str], *, indexed: bool = True) -> Q:
    """Every word occurs in the field: `contains` (LIKE) where a trigram index can answer it, else strpos.

    The trigram index finds a word by its runs of three letters; for a shorter one (or in the walk
    over a few texts, `indexed=False`) PostgreSQL would read the whole index, so such words are only
    checked on the rows found otherwise. Both say the same: the folded word is part of the folded text.
    """
    condition = Q()
    for word in words:
        if indexed and _TRIGRAM.search(word):
            condition &= Q(**{f"{field}__contains": word})
        else:
            condition &= Q(GreaterThan(StrIndex(field, Value(word)), 0))
    return condition


def _provisions_matching(words: list[str], regulations, count: int) -> list[int]:
    """The first `count` provisions that have every word, in the order hits are listed (their ids).

    Texts in force first, then drafts and older texts, each in document order: all the provisions of
    a version come before those of the next one. So the first WALKED versions in that order (read from
    their index) answer a frequent word on their own; a rarer word, or one found only further on, is
    then looked up among all the texts, on PostgreSQL through the trigram index of the folded texts,
    whose work follows the word's hits, not the province's size.
    """
    first = list(Version.objects.order_by(*VERSION_ORDER).values_list("pk", "regulation_id")[: WALKED + 1])
    readable = set(regulations.filter(pk__in={regulation for _, regulation in first}).values_list("pk", flat=True))
    rank = {pk: index for index, (pk, regulation) in enumerate(first[:WALKED]) if regulation in readable}
    found = Provision.objects.filter(_contains("text_folded", words, indexed=False), version__in=rank).order_by()
    found = sorted(found.values_list("version_id", "position", "pk"), key=lambda row: (rank[row[0]], row[1]))
    if len(found) >= count or len(first) <= WALKED:
        return [pk for _, _, pk in found[:count]]
    everywhere = Provision.objects.filter(
        _contains("text_folded", words), version__regulation__in=regulations.values("pk")
    )
    if not any(_TRIGRAM.search(word) for word in words):
        # Only short words, rare in the texts read first: no index finds them, so every provision is
        # read once (ordered here), rather than text by text at random.
        rows = list(
            everywhere.order_by().values_list(
                "version__status", "version__regulation_id", "version__issued", "version_id", "position", "pk"
            )[: count * WALKED + 1]
        )
        if len(rows) <= count * WALKED:
            rows.sort(key=_listed_order)
            return [row[-1] for row in rows[:count]]
    return list(everywhere.order_by(*PROVISION_ORDER).values_list("pk", flat=True)[:count])


def _listed_order(row):
    """PROVISION_ORDER in Python: in force first, by regulation, the newest (or a draft) first."""
    status, regulation, issued, version, position, _ = row
    return (status != VersionStatus.IN_FORCE, regulation, issued is not None, -(issued or date.min).toordinal(),
            version, position)  # fmt: skip


def place_of(provision: Provision) -> str:
    """ "Điều 6, khoản 1, điểm a" as a reader would cite it."""
    parts = []
    if provision.article is not None:
        parts.append(f"Điều {provision.article.label}")
    if (
        provision.kind == ProvisionKind.POINT
        and provision.parent is not None
        and provision.parent.kind == ProvisionKind.CLAUSE
    ):
        parts.append(f"khoản {provision.parent.label}")
    if provision.kind in (ProvisionKind.CLAUSE, ProvisionKind.POINT) and provision.label:
        parts.append(f"{provision.get_kind_display().lower()} {provision.label}")
    if not parts:
        parts.append(provision.display_label)
    return ", ".join(parts)
