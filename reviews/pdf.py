"""The papers of an amendment as PDF: the comparison table (bảng đối chiếu) and the synthesis of
opinions (bảng tổng hợp, tiếp thu, giải trình ý kiến), in the party's document format."""

from django.utils.safestring import mark_safe

from regulations import diffing, lines
from regulations.pdf import render
from regulations.selectors import provision_tree

from .selectors import comparison_table, summary_of, synthesis_rows


def render_comparison(amendment, *, changed_only: bool = True, numbered: bool = False) -> bytes:
    """Bảng đối chiếu: current text | proposed text | reason, with deletions and insertions marked; `numbered`:
    each row says on which lines of the numbered draft its article lies, as the page does."""
    rows = comparison_table(amendment)
    spans = lines.article_spans(provision_tree(amendment.draft).all) if numbered else {}
    shown = [row for row in rows if row.change != diffing.ChangeKind.UNCHANGED] if changed_only else rows
    return render(
        "pdf/comparison.html",
        {
            "amendment": amendment,
            "regulation": amendment.regulation,
            "base": amendment.base_version,
            "issuer": _issuer(amendment),
            "summary": summary_of(rows),
            "changed_only": changed_only,
            "rows": [(row, *_comparison_cells(row), spans.get(row.new_label)) for row in shown],
        },
    )


def _comparison_cells(row) -> tuple[str, str]:
    """The current text with its deletions struck through, the proposed one with its insertions marked."""
    if row.ops:
        current = [op for op in row.ops if op[0] != "insert"]
        proposed = [op for op in row.ops if op[0] != "delete"]
    else:
        current = [("delete" if row.change == diffing.ChangeKind.REMOVED else "equal", row.current)]
        proposed = [("insert" if row.change == diffing.ChangeKind.ADDED else "equal", row.proposed)]
    return _marked(current), _marked(proposed)


def _marked(ops) -> str:
    # diff_html escapes every piece of text, so its output is the one thing marked safe.
    return mark_safe(diffing.diff_html(ops).replace("\n", "<br>"))  # noqa: S308


def render_synthesis(amendment) -> bytes:
    """Bảng tổng hợp, tiếp thu, giải trình ý kiến: by article, who said what, and what was done with it."""
    groups, counts, number = [], {"accepted": 0, "explained": 0, "pending": 0}, 0
    for place, comments in synthesis_rows(amendment):
        entries = []
        for comment in comments:
            number += 1
            disposition = getattr(comment, "disposition", None)
            counts[disposition.kind if disposition else "pending"] += 1
            organization = comment.request.organization if comment.request_id else None
            entries.append((number, comment, organization, disposition))
        groups.append((place, entries))
    return render(
        "pdf/synthesis.html",
        {
            "amendment": amendment,
            "regulation": amendment.regulation,
            "issuer": _issuer(amendment),
            "groups": groups,
            "total": number,
            "counts": counts,
        },
    )


def _issuer(amendment) -> str:
    return amendment.draft.issuing_body or amendment.regulation.organization.name


def comparison_pdf_filename(amendment) -> str:
    return f"bang-doi-chieu-ho-so-{amendment.pk}.pdf"


def synthesis_pdf_filename(amendment) -> str:
    return f"tong-hop-y-kien-ho-so-{amendment.pk}.pdf"
