"""What an amendment tells an article's history (regulations/history.py): the dossier each change of
its draft was made in, and the opinions a change took in."""

from django.db.models import Prefetch
from django.urls import reverse

from quyche.text import nfc
from regulations.history import Link, cause

from .access import can_view_amendment
from .models import Amendment, Disposition

_EXCERPT = 80


@cause
def amendment_and_opinions(version, article, entries, user) -> None:
    """Every change of a draft is made within its amendment; a recorded change links the opinions it took in.

    A change (`ArticleChange`) is recorded right after its write, in the same transaction, under
    the amendment's lock, with the same author and reason: it is the first entry after the one
    matched before it with that author and reason.
    """
    amendment = Amendment.objects.select_related("regulation__organization").filter(draft=version).first()
    if amendment is None or not can_view_amendment(user, amendment):
        return
    dossier = Link(f"Hồ sơ: {amendment.title}", reverse("reviews:detail", args=[amendment.pk]))
    for entry in entries:
        entry.links.append(dossier)
    opinions = Disposition.objects.select_related("comment__author").order_by("comment__created_at", "comment__pk")
    changes = (
        amendment.changes.filter(article_key=article.key)
        .prefetch_related(Prefetch("dispositions", queryset=opinions))
        .order_by("at", "pk")
    )
    synthesis = reverse("reviews:synthesis", args=[amendment.pk])
    start = 0
    for change in changes:
        index = _entry_of(change, entries, start)
        if index is None:
            continue
        start = index + 1
        for disposition in change.dispositions.all():
            comment = disposition.comment
            text = comment.text if len(comment.text) <= _EXCERPT else comment.text[: _EXCERPT - 1] + "…"
            entries[index].links.append(
                Link(
                    f"{disposition.get_kind_display()} ý kiến của {comment.author}: «{text}»",
                    f"{synthesis}#y-kien-{comment.pk}",
                )
            )


def _entry_of(change, entries, start: int) -> int | None:
    for index in range(start, len(entries)):
        entry = entries[index]
        if getattr(entry.user, "pk", None) == change.author_id and _same(entry.reason, change.reason):
            return index
    return None


def _same(first: str, second: str) -> bool:
    return " ".join(nfc(first).split()) == " ".join(nfc(second).split())
