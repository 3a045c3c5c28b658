"""Search over what the user may read, ignoring diacritics and the two spellings (uỷ / ủy, hoá / hóa).

Titles and provision texts are stored folded as well as written, so the same `contains` query
works on SQLite and PostgreSQL; each hit points to its article with a highlighted snippet.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse

from quyche.text import fold, highlight

from .models import Provision, ProvisionKind, Regulation, VersionStatus
from .selectors import visible_regulations

MAX_RESULTS = 50


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
    title_condition = Q()
    for word in words:
        title_condition &= Q(title_folded__contains=word)
    for regulation in regulations.filter(title_condition).select_related("current_version", "organization")[:limit]:
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
    text_condition = Q()
    for word in words:
        text_condition &= Q(text_folded__contains=word)
    provisions = (
        Provision.objects.filter(text_condition, version__regulation__in=regulations.values("pk"))
        .select_related("version__regulation", "article", "parent")
        .defer("text_folded", "version__source_text", "article__text_folded", "parent__text_folded")
        # Texts in force first, then drafts and older texts, each in document order.
        .annotate(
            rank=Case(
                When(version__status=VersionStatus.IN_FORCE, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "version__regulation_id", "-version__issued", "version_id", "position")
    )[: max(limit - len(hits), 0)]
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
