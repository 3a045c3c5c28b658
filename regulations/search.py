"""Search over what the user may read, ignoring diacritics and the two spellings (uỷ / ủy, hoá / hóa).

Titles and provision texts are stored folded as well as written, so the same LIKE query works on
SQLite and PostgreSQL; each hit points to its article with a highlighted snippet. A word of three
letters or more is found anywhere, a shorter one where a word starts ("uy" finds "ủy", not "quy").
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import Exact, GreaterThan
from django.urls import reverse

from quyche.text import WORD_BREAKS, highlight, is_short, search_words

from .models import Provision, ProvisionKind, Regulation, VersionStatus
from .selectors import visible_regulations

MAX_RESULTS = 50
# How many regulations' texts in force, in the order hits are listed, are searched first (about 20
# provisions each).
WALKED = 100
# A fifth of a page of hits or more among them: the next regulations are read before the index is
# asked (at most 2 × DENSE × WALKED of them). Below that, rechecking every hit through the index costs
# less than reading on.
DENSE = 5
IN_FORCE_FIRST = Case(When(version__status=VersionStatus.IN_FORCE, then=Value(0)), default=Value(1))
PROVISION_ORDER = (
    IN_FORCE_FIRST,
    "version__regulation_id",
    F("version__issued").desc(nulls_first=True),
    "version_id",
    "position",
)

# What a hit shows of a provision, its version, regulation, article and parent (place_of, anchor).
HIT_FIELDS = (
    *("kind", "label", "heading", "text", "position"),
    *("version__number", "version__status", "version__regulation__title"),
    *("article__kind", "article__label", "article__position", "parent__kind", "parent__label"),
)


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


def search(user, query: str, limit: int = MAX_RESULTS) -> list[Hit]:
    words = search_words(query)
    if not words:
        return []
    regulations = visible_regulations(user)
    hits = []
    titled = (
        regulations.filter(_has_words("title_folded", words))
        .select_related("current_version")
        .only("title", "current_version__number", "current_version__status")
    )
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
        .only(*HIT_FIELDS)
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


def _has_words(field: str, words: list[str], *, indexed: bool = True) -> Q:
    """Every word is in the folded field: a word of three letters or more anywhere, a shorter one where a
    word starts (quyche.text.WORD_BREAKS, as highlighting marks it).

    `contains` and `startswith` (LIKE) are what the trigram index answers: a long word by its runs of
    three letters, a short one by the runs pg_trgm keeps for a word's start (" zq" in '% zq%'). Over a
    few texts already chosen (`indexed=False`), strpos says the same (1 at the start) without tempting
    PostgreSQL to read the index for a frequent word.
    """
    condition = Q()
    for word in words:
        if not is_short(word):
            condition &= Q(**{f"{field}__contains": word}) if indexed else _has(field, word)
        elif indexed:
            at_start = Q(**{f"{field}__startswith": word})
            condition &= reduce(or_, (Q(**{f"{field}__contains": mark + word}) for mark in WORD_BREAKS), at_start)
        else:
            at_start = Q(Exact(StrIndex(field, Value(word)), 1))
            condition &= reduce(or_, (_has(field, mark + word) for mark in WORD_BREAKS), at_start)
    return condition


def _has(field: str, part: str) -> Q:
    return Q(GreaterThan(StrIndex(field, Value(part)), 0))


def _provisions_matching(words: list[str], regulations, count: int) -> list[int]:
    """The first `count` provisions that have every word, in the order hits are listed (their ids).

    Texts in force first, by regulation, then drafts and older texts, each in document order. So the
    texts in force of the first WALKED regulations the user may read come first, and answer a frequent
    word on their own. Where they hold some hits but not a page, the hits are dense enough for the next
    regulations to hold the rest: read on, as far again as those hits say the page ends. A rarer word,
    or one found only further on, is then looked up among all the texts, on PostgreSQL through the
    trigram index of the folded texts, whose work follows the word's hits, not the province's size.
    """
    found = _walk(words, regulations, 0, WALKED, count)
    if len(found) < count and len(found) * DENSE >= count:
        found += _walk(words, regulations, WALKED, 2 * WALKED * count // len(found), count - len(found))
    if len(found) == count:
        return found
    everywhere = Provision.objects.filter(
        _has_words("text_folded", words), version__regulation__in=regulations.values("pk")
    )
    return list(everywhere.order_by(*PROVISION_ORDER).values_list("pk", flat=True)[:count])


def _walk(words: list[str], regulations, start: int, end: int, count: int) -> list[int]:
    """The first `count` hits in the texts in force of the user's regulations start to end (by id)."""
    provisions = Provision.objects.filter(
        _has_words("text_folded", words, indexed=False),
        version__status=VersionStatus.IN_FORCE,
        version__regulation__in=regulations.order_by("pk").values("pk")[start:end],
    )
    # All in force: PROVISION_ORDER from the regulation on, which PostgreSQL reads regulation by
    # regulation (through their versions' index), stopping at `count` hits.
    return list(provisions.order_by(*PROVISION_ORDER[1:]).values_list("pk", flat=True)[:count])


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
