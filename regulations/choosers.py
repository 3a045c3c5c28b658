"""Articles chosen by typing their number or words of their heading (quyche/choosers.py): a text has dozens."""

from quyche.choosers import TYPED_MAX, Entry, Option
from quyche.text import fold

NOUN = "điều"
HOW = "số hoặc tên điều"


def article_entry(article, *, id: str, value, detail: str = "") -> Entry:
    """An article as a chooser offers it: "Điều 5. Trách nhiệm…", named whole by "5" or "Điều 5"; `detail`, what
    it belongs to (a regulation's title), is shown beside it and searched after its own words."""
    text = f"Điều {article.label}. {article.heading}".strip().removesuffix(".")[:TYPED_MAX]
    return Entry(
        Option(id, text, detail),
        value,
        names=frozenset({fold(article.label), fold(f"Điều {article.label}")}),
        words=fold(text),
        context=fold(detail),
    )
