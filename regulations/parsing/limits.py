"""How much of a text we agree to read, checked before the work starts.

The largest real text we hold (tests/corpus, the OCR copy of Nghị định 241/2026) has 136,156
characters and 47 articles; the caps leave room for a code of several hundred articles while
keeping an import within seconds and a few hundred megabytes (bench/uploads.py).
"""

import re

from quyche.text import nfc

MAX_UPLOAD = 5 * 1024 * 1024  # bytes of a .txt or .docx file
MAX_CHARACTERS = 2_000_000
MAX_ARTICLES = 1_000

# Every line that may open an article ("Điều 5." / "Điều 5:"), counted before the full parse;
# it may count a quoted article too, so it can only overestimate.
_ARTICLE_LINE = re.compile(r"^[ \t]*(?:Điều|ĐIỀU)[ \t]+\d+[a-zđ]?[ \t]*[.:]", re.MULTILINE)


class Refused(ValueError):
    """The input is refused before it is read: too large, or not the file it claims to be."""


def number(value: int) -> str:
    """1000000 as "1.000.000", as Vietnamese writes it."""
    return f"{value:,}".replace(",", ".")


def megabytes(size: int) -> str:
    """1073741824 as "1.024,0 MB"."""
    return f"{size / 2**20:,.1f} MB".translate(str.maketrans(",.", ".,"))


def check_text(text: str) -> None:
    if len(text) > MAX_CHARACTERS:
        raise Refused(
            f"Văn bản quá dài: {number(len(text))} ký tự (tối đa {number(MAX_CHARACTERS)} ký tự). "
            "Hãy kiểm tra lại tệp hoặc tách thành nhiều văn bản."
        )
    articles = sum(1 for _ in _ARTICLE_LINE.finditer(nfc(text)))
    if articles > MAX_ARTICLES:
        raise Refused(
            f"Văn bản có {number(articles)} điều (tối đa {number(MAX_ARTICLES)} điều). "
            "Hãy kiểm tra lại tệp hoặc tách thành nhiều văn bản."
        )
