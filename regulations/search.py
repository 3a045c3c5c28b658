"""Search over what the user may read, ignoring diacritics and the two spellings (uỷ / ủy, hoá / hóa).

Titles and provision texts are stored folded as well as written, so the same LIKE query works on
SQLite and PostgreSQL; each hit points to its article with a highlighted snippet. A word of three
letters or more is found anywhere, a shorter one where a word starts ("uy" finds "ủy", not "quy").
On PostgreSQL, the provisions are searched through the words of the texts (regulations/migrations/
0016_search_words.py): a search word in no word of the texts answers at once, and the rarest word says
whether to look it up in the index of words at once or to read the first texts first.

A person's hits for a query are kept (quyche.counts) until a text, a regulation or what they may read
changes: the same search again (a reload, the back button, a colleague's link) is a cache read.
"""

import hashlib
import math
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import Overlap
from django.db import connection
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import Exact, GreaterThan
from django.urls import reverse

from quyche import counts
from quyche.text import WORD_BREAKS, has_word, highlight, is_short, search_words

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
# On PostgreSQL, a word in at most so many provisions (as ANALYZE counted the words) is looked up in the
# index of words at once: reading its hits costs less than reading the first texts.
RARE = 3000
IN_FORCE_FIRST = Case(When(version__status=VersionStatus.IN_FORCE, then=Value(0)), default=Value(1))
# IN_FORCE_FIRST as PostgreSQL reads it for each hit, not for each version: so that it sorts the hits the
# index gives rather than read every version in order to stop at the first page of hits, which costs more
# than the hits whenever the walk (below) has not found them.
HIT_IN_FORCE_FIRST = Case(
    When(position__lt=0, then=Value(0)),  # never: a provision's column in the key
    When(version__status=VersionStatus.IN_FORCE, then=Value(0)),
    default=Value(1),
)
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


# What the hits depend on: the texts and titles, and what the person may read (their seats, the tree).
DEPENDS_ON = ("texts", "regulations", "positions", "organizations")


def search(user, query: str, limit: int = MAX_RESULTS) -> list[Hit]:
    words = search_words(query)
    if not words:
        return []
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return counts.cached(f"search:{user.pk}:{limit}:{digest}", DEPENDS_ON, lambda: _search(user, query, words, limit))


def _search(user, query: str, words: list[str], limit: int) -> list[Hit]:
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
    for provision in _provisions_matching(words, regulations, remaining):
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


def _provisions_matching(words: list[str], regulations, count: int) -> list[Provision]:
    """The first `count` provisions that have every word, in the order hits are listed.

    Texts in force first, by regulation, then drafts and older texts, each in document order. So the
    texts in force of the first WALKED regulations the user may read come first, and answer a frequent
    word on their own. Where they hold some hits but not a page, the hits are dense enough for the next
    regulations to hold the rest: read on, as far again as those hits say the page ends. A rarer word,
    or one found only further on, is then looked up among all the texts: on PostgreSQL through the index
    of the texts' words, whose work follows the words' hits, not the province's size (at once for a word
    that is rare, or found in no text); on SQLite by reading them all.
    """
    words_found = _words_in_texts(words)
    if words_found is None:
        has_words, rare = _has_words("text_folded", words), False
    elif not all(words_found.forms.values()):
        return []
    else:
        has_words, rare = words_found.condition(), words_found.rarest <= RARE
    found = [] if rare else _walk(words, regulations, 0, WALKED, count)
    if len(found) < count and len(found) * DENSE >= count:
        found += _walk(words, regulations, WALKED, 2 * WALKED * count // len(found), count - len(found))
    if len(found) == count:
        return found
    everywhere = Provision.objects.filter(has_words, version__regulation__in=regulations.values("pk"))
    return _hits(everywhere.order_by(HIT_IN_FORCE_FIRST, *PROVISION_ORDER[1:]), count)


def _walk(words: list[str], regulations, start: int, end: int, count: int) -> list[Provision]:
    """The first `count` hits in the texts in force of the user's regulations start to end (by id)."""
    provisions = Provision.objects.filter(
        _has_words("text_folded", words, indexed=False),
        version__status=VersionStatus.IN_FORCE,
        version__regulation__in=regulations.order_by("pk").values("pk")[start:end],
    )
    # All in force: PROVISION_ORDER from the regulation on, which PostgreSQL reads regulation by
    # regulation (through their versions' index), stopping at `count` hits.
    return _hits(provisions.order_by(*PROVISION_ORDER[1:]), count)


def _hits(provisions, count: int) -> list[Provision]:
    return list(provisions.select_related("version__regulation", "article", "parent").only(*HIT_FIELDS)[:count])


@dataclass
class _WordsFound:
    """What the words of the texts say of the search words (PostgreSQL): for each search word, the words
    of the texts that have it (quyche.text.has_word), and how many provisions have the rarest one."""

    forms: dict[str, list[str]]
    rarest: float  # provisions, as ANALYZE last counted the words; infinite before it has

    def condition(self) -> Q:
        """Each search word is in one of its forms among the provision's words (the index answers it)."""
        words = Func(F("text_folded"), Value(" "), function="string_to_array", output_field=_WORDS)
        return reduce(and_, (Q(Overlap(words, Value(forms, output_field=_WORDS))) for forms in self.forms.values()))


_WORDS = ArrayField(TextField())

# The words of the texts that may have the search words (LIKE patterns: %s), with the number of
# provisions each is in, estimated from ANALYZE's most common words (at most the least common of those
# where a word is not among them; NULL before any ANALYZE).
_WORDS_FOUND = """
WITH counted AS (
    SELECT most_common_elems::text::text[] AS words, most_common_elem_freqs AS shares,
           (SELECT reltuples FROM pg_class WHERE oid = 'regulations_provision'::regclass) AS provisions
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'regulations_provision_words'
)
SELECT lexicon.word,
       coalesce(shares[array_position(words, lexicon.word)], shares[array_length(shares, 1) - 2]) * provisions
FROM regulations_searchword lexicon LEFT JOIN counted ON provisions > 0
WHERE {patterns}
"""


def _words_in_texts(words: list[str]) -> _WordsFound | None:
    """What the lexicon says of the search words on PostgreSQL (None elsewhere: SQLite reads the texts)."""
    if connection.vendor != "postgresql":
        return None
    patterns = [pattern for word in words for pattern in _like_patterns(word)]
    with connection.cursor() as cursor:
        cursor.execute(_WORDS_FOUND.format(patterns=" OR ".join(["lexicon.word LIKE %s"] * len(patterns))), patterns)
        rows = cursor.fetchall()
    forms = {word: [] for word in words}
    counts = dict.fromkeys(forms, 0.0)
    for form, count in rows:
        for word in forms:
            if has_word(form, word):
                forms[word].append(form)
                counts[word] += math.inf if count is None else count
    return _WordsFound(forms=forms, rarest=min(counts.values()))


def _like_patterns(word: str) -> list[str]:
    """LIKE patterns of the words of the texts that have the search word (quyche.text.has_word)."""
    escape = connection.ops.prep_for_like_query
    if not is_short(word):
        return [f"%{escape(word)}%"]
    return [f"{escape(word)}%", *(f"%{escape(mark + word)}%" for mark in WORD_BREAKS if mark != " ")]


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
