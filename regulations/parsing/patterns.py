"""The line patterns: compiled regexes, label constants and small pure helpers on a line."""

import re
from dataclasses import dataclass

from quyche.text import fold, nfc

STRUCTURE_KINDS = ("part", "chapter", "section")
CONTAINER_KINDS = ("point", "clause", "article", *STRUCTURE_KINDS)
STRUCTURE_WORDS = {"part": "Phần", "chapter": "Chương", "section": "Mục"}
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"

# Kind lines that open a document ("QUY CHẾ LÀM VIỆC", "NGHỊ ĐỊNH", ...), folded.
DOCUMENT_KINDS = (
    "quy che",
    "quy dinh",
    "quy trinh",
    "dieu le",
    "noi quy",
    "huong dan",
    "chuong trinh",
    "ke hoach",
    "nghi dinh",
    "nghi quyet",
    "quyet dinh",
    "chi thi",
    "thong tu",
    "thong bao",
    "ket luan",
    "de an",
    "luat",
    "phap lenh",
)


# Structure lines. Labels are upper-case roman numerals or digits, so "Phần lớn" or "Mục tiêu"
# in running text do not match.
_PART = re.compile(r"^(?:Phần|PHẦN)\s+(thứ\s+\w+|THỨ\s+\w+|[IVXLC]+|\d+)\b\s*([.:\-–—])?\s*(.*)$")
_CHAPTER = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+|\d+)\b\s*([.:\-–—])?\s*(.*)$")
_SECTION = re.compile(r"^(?:Mục|MỤC)\s+([IVXLC]+|\d+)\b\s*([.:\-–—])?\s*(.*)$")
# "Điều 5." or "Điều 5:" opens an article; "Điều 77 Luật ..." is a cross-reference.
_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+)([a-zđ]?)\s*[.:]\s*(.*)$")
_CLAUSE = re.compile(r"^(\d{1,3}[a-zđ]?)\.(?:\s+|(?=[^\d\s.]))(.+)$")  # "1. ", "1a. ", not "1.500"
_POINT = re.compile(rf"^([{POINT_LETTERS}])\)\s*(\S.*)$")
_BULLET = re.compile(r"^([-+–•])\s+(\S.*)$")
_RULE = re.compile(r"^[-_=*~.•–—\s]+$")  # "-----", "___", a lone "*"

# What OCR makes of headings: "Điều 27,", "- Điều 15.", "1, Nghị định", "__ 7. Quốc lộ".
_ARTICLE_COMMA = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+)([a-zđ]?)\s*,\s*(.*)$")
_CLAUSE_LOOSE = re.compile(r"^(\d{1,3}),?\s+(\S.*)$")
_LEADING_DEBRIS = re.compile(r"^[-–~•._]+\s*")
_UNDERSCORE_DEBRIS = re.compile(r"^[-._~]*_[-._~]*\s+")

_QUOTE_OPEN = re.compile(r"^['‘’]*([\"“”])")
_STRAIGHT_CLOSE = re.compile(r"[\"”][\s.,;:_|'-]*$")
_TERMINAL = re.compile(r"[.:;,]$")

_NUMBER = re.compile(r"^(?:Số|SỐ)\s*[:.]?\s*(?=\S*\d)(.+)$")
_SYMBOL_TOKEN = re.compile(r"[\w./-]+")
_DATE = re.compile(
    r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
    r"|ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
)
_BASIS = re.compile(r"^[-–•+]?\s*Căn cứ\b")
_ENACTING_START = re.compile(r"^(?:Theo|Xét)\s+đề nghị\b", re.IGNORECASE)
_MOTTOS = (
    re.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam"),
    re.compile(r"doc\s+lap\s*-\s*tu\s+do\s*-\s*hanh\s+phuc"),
    re.compile(r"dang\s+cong\s+san\s+viet\s+nam"),
)

# End of the body, matched on the folded line.
_RECIPIENTS = re.compile(r"^[nm]oi\s+nhan\b")
_ANNEX = re.compile(r"^phu\s+luc\b")
_TRAILER = re.compile(r"^(tai lieu tham khao|nguon tham khao)\b")
_SIGNATURE = re.compile(r"^(?:T/M|TM|KT|TL|TUQ|Q)\.?\s+\S")  # T/M ĐẢNG ỦY, KT. BÍ THƯ, ...
_AUTHORITY = re.compile(r"^(?:T/M|TM)\.?\s+\S")  # on behalf of the collective body
_RECIPIENT_ITEM = re.compile(r"^[-~–•+]\s*(\S.*)$")


@dataclass
class _Line:
    no: int
    text: str


def _split_lines(text: str) -> list[_Line]:
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub("[\u200b\ufeff]", "", text)
    return [_Line(no, " ".join(raw.split())) for no, raw in enumerate(text.split("\n"), start=1)]


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def _starts_kind(text: str) -> bool:
    folded = fold(text)
    return any(folded == kind or folded.startswith(kind + " ") for kind in DOCUMENT_KINDS)


def _excerpt(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _roman(label: str) -> int:
    if label.isdigit():
        return int(label)
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for ch, after in zip(label, label[1:] + " ", strict=True):
        value = values[ch]
        total += -value if values.get(after, 0) > value else value
    return total


def _article_key(label: str) -> tuple[int, str]:
    digits = re.match(r"\d+", label).group()
    return int(digits), label[len(digits) :]


def _starts_annex(text: str) -> bool:
    """ "Phụ lục I" (forms and tables after the text) or a web page's "Tài liệu tham khảo:"."""
    folded = fold(text)
    if _TRAILER.match(folded):
        return True
    return bool(_ANNEX.match(folded)) and (_is_caps(text) or len(text.split()) <= 4)


def ends_body(text: str) -> bool:
    if _starts_annex(text) or _RECIPIENTS.match(fold(text)):
        return True
    return bool(_SIGNATURE.match(text)) and _is_caps(text)


def _structure_match(text: str) -> tuple[str, re.Match] | None:
    """The kind of a structural line, or None for plain text."""
    for kind, pattern in (("part", _PART), ("chapter", _CHAPTER), ("section", _SECTION)):
        match = pattern.match(text)
        # "Chương II của Quy chế này ..." in running text is not a heading.
        if match and (not match.group(3) or match.group(2) or _is_caps(match.group(3))):
            return kind, match
    for kind, pattern in (("article", _ARTICLE), ("clause", _CLAUSE), ("point", _POINT), ("bullet", _BULLET)):
        match = pattern.match(text)
        if match:
            return kind, match
    return None


def _opens_body(text: str) -> bool:
    found = _structure_match(text)
    return found is not None and found[0] in ("article", *STRUCTURE_KINDS)


def _is_continuation(text: str) -> bool:
    """A hard-wrapped line that carries on the previous one."""
    first = text[0]
    return (first.islower() or first.isdigit() or first in ",.;:)…") and _structure_match(text) is None


def _split_article_title(rest: str) -> tuple[str, str]:
    """Split "Title: body" after "Điều N."; a whole sentence is body text, not a title."""
    head, sep, body = rest.partition(": ")
    if sep and body.strip() and len(head.split()) <= 15 and not re.search(r"[.;]", head):
        return head.strip(), body.strip()
    if rest.endswith((".", ";")) and len(rest.split()) > 8:
        return "", rest
    return rest, ""


def _next_letter(label: str) -> str:
    """The point after "d" is "đ"; the alphabet has no f, j, w, z."""
    return POINT_LETTERS[POINT_LETTERS.index(label) + 1 :][:1]


def _join(left: str, right: str) -> str:
    return f"{left} {right}" if left else right
