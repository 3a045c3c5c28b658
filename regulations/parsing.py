"""Reading a regulation's plain text into its structure.

A text is read in three parts:

- the heading block (letterhead, number, place and date, kind line, subject, legal bases and the
  enacting sentence), up to the first "Phần", "Chương", "Mục" or "Điều" line;
- the body: Phần > Chương > Mục > Điều > khoản "1." > điểm "a)" > unnumbered paragraphs and
  "-" / "+" bullets;
- the end: "Nơi nhận:" list and signature block.

Rules worth knowing:

- Labels are kept as written, never renumbered. Articles must be numbered upwards; an "Điều N."
  line that goes backwards is kept as text of the current provision, with a warning, and gaps,
  skipped chapters and out-of-order clauses or points are reported as warnings.
- Text quoted by an amending instrument (a line opening with “ or ", up to its closing quote) is
  content of the article, clause or point that quotes it, one paragraph per line, never structure.
- A line starting with a lower-case letter, a digit or punctuation that is not a clause or point
  continues the previous line (OCR copies are hard-wrapped).
- A regulation issued by a decree or decision and attached after its signature ("QUY CHẾ ..."
  then "(Kèm theo ...)", numbered from Điều 1 again) becomes the body: `provisions` holds the
  attached regulation, `issuing_provisions` the instrument's own articles, `attachment_heading`
  the lines introducing it, and a warning says so. The two numbering sequences are never merged.
- "Phụ lục" (annexes, forms) and web trailers ("Tài liệu tham khảo:") end the text; what follows
  is reported as not placed.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx import Document

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


@dataclass
class ParsedProvision:
    """One node of the structure: Phần, Chương, Mục, Điều, khoản, điểm, đoạn or gạch đầu dòng."""

    kind: str  # part | chapter | section | article | clause | point | paragraph | bullet
    label: str  # as written: "I", "52a", "1", "đ"; "" for paragraphs; "-" or "+" for bullets
    heading: str  # title of a part, chapter, section or article
    text: str  # the node's own text, without its children
    line: int  # 1-based source line where it starts
    children: list["ParsedProvision"] = field(default_factory=list)


@dataclass
class ParseWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.line}: {self.message}"


@dataclass
class ParsedDocument:
    """A regulation as read from its text: heading block, body, signature and what could not be placed."""

    superior_body: str = ""
    issuing_body: str = ""
    number: str = ""
    place: str = ""
    issued: datetime.date | None = None
    kind_line: str = ""
    title: str = ""
    legal_bases: list[str] = field(default_factory=list)
    enacting: str = ""
    provisions: list[ParsedProvision] = field(default_factory=list)
    signer_authority: str = ""
    signer_position: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    # Set only when the regulation is attached to the decree or decision that issues it.
    issuing_provisions: list[ParsedProvision] = field(default_factory=list)
    attachment_heading: str = ""

    def iter_provisions(self) -> Iterator[ParsedProvision]:
        """All provisions of the body, depth first, in reading order."""
        stack = list(reversed(self.provisions))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def counts(self) -> dict:
        counts = {"chapters": 0, "articles": 0, "clauses": 0, "points": 0}
        for node in self.iter_provisions():
            key = f"{node.kind}s"
            if key in counts:
                counts[key] += 1
        return counts


class ParseError(ValueError):
    """The text cannot be read as a regulation; the message names the line."""

    def __init__(self, line: int, message: str):
        super().__init__(f"Dòng {line}: {message}")
        self.line = line


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


def _ends_body(text: str) -> bool:
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


class _Quote:
    """Text quoted by an amending instrument, running until its closing quote."""

    def __init__(self, line: int, parent: ParsedProvision | None, curly: bool, balance: int = 0):
        self.line = line
        self.parent = parent
        self.curly = curly
        self.balance = balance
        self.last: ParsedProvision | None = None

    def closes(self, text: str, opening: bool = False) -> bool:
        if self.curly:
            self.balance += text.count("“") - text.count("”")
            return self.balance <= 0
        rest = _QUOTE_OPEN.sub("", text) if opening else text
        return bool(_STRAIGHT_CLOSE.search(rest))


class _Body:
    """Builds the provision tree of one body, line by line."""

    def __init__(self, warnings: list[ParseWarning]):
        self.warnings = warnings
        self.top: list[ParsedProvision] = []
        self.stack: list[ParsedProvision] = []  # the open nodes, root to leaf
        self.last_article: tuple[int, str] | None = None
        self.last_chapter: str | None = None
        self.pending: ParsedProvision | None = None  # waits for its title on the next line
        self.caps_heading: ParsedProvision | None = None  # an ALL-CAPS title that may wrap
        self.last_node: ParsedProvision | None = None
        self.quote: _Quote | None = None
        self.previous_blank = False

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))

    def feed(self, ln: _Line) -> bool:
        """Read one line; False when it ends the body (and is left to the caller)."""
        text = ln.text
        if not text:
            self.previous_blank = True
            return True
        blank_before, self.previous_blank = self.previous_blank, False
        if self.quote:
            if not (_ends_body(text) or self._is_next_article(text)):
                self._add_quoted(ln, text)
                return True
            self.finish(ln.no)
        if _ends_body(text):
            return False
        if _RULE.match(text):
            return True
        text = _UNDERSCORE_DEBRIS.sub("", text)
        if _QUOTE_OPEN.match(text):
            self._open_quote(ln, text)
            return True
        if text.count("”") > text.count("“") and _STRAIGHT_CLOSE.search(text):
            self._orphan_quote_end(ln, text)
            return True
        found = _structure_match(text)
        if found is None and self._take_heading(text, blank_before):
            return True
        self.pending = self.caps_heading = None
        if found is None or found[0] == "bullet":
            found = self._damaged_heading(ln.no, text) or found
        if found is None:
            if self.last_node and _is_continuation(text):
                self._continue(self.last_node, text)
            else:
                self._paragraph(ln.no, text)
        else:
            handlers = {
                "part": self._part,
                "chapter": self._chapter,
                "section": self._section,
                "article": self._article,
                "clause": self._clause,
                "point": self._point,
                "bullet": self._bullet,
            }
            handlers[found[0]](ln.no, found[1])
        self._open_inline_quote(ln.no, text)
        return True

    def finish(self, line: int) -> None:
        if self.quote:
            self.warn(
                self.quote.line, f"đoạn trích dẫn mở ở dòng này không có dấu đóng, coi như kết thúc trước dòng {line}"
            )
            self.quote = None

    # Headings ---------------------------------------------------------------------------------

    def _take_heading(self, text: str, blank_before: bool) -> bool:
        node = self.pending
        if node is not None:
            if node.kind == "article" or _is_caps(text) or (len(text.split()) <= 15 and not _TERMINAL.search(text)):
                node.heading = text
                self.pending = None
                self.caps_heading = node if node.kind != "article" and _is_caps(text) else None
                self.last_node = node
                return True
            return False
        node = self.caps_heading
        if node is not None and not blank_before and _is_caps(text):
            node.heading = _join(node.heading, text)
            return True
        return False

    def _part(self, line: int, match: re.Match) -> None:
        self._structure("part", line, match, None)

    def _chapter(self, line: int, match: re.Match) -> None:
        label = match.group(1)
        if self.last_chapter is not None and _roman(label) != _roman(self.last_chapter) + 1:
            self.warn(line, f"sau Chương {self.last_chapter} là Chương {label}; giữ nguyên số chương như văn bản gốc")
        self.last_chapter = label
        self._structure("chapter", line, match, self._nearest("part"))

    def _section(self, line: int, match: re.Match) -> None:
        self._structure("section", line, match, self._nearest("chapter", "part"))

    def _structure(self, kind: str, line: int, match: re.Match, parent: ParsedProvision | None) -> None:
        node = ParsedProvision(kind, match.group(1), match.group(3), "", line)
        self._attach(node, parent)
        if not node.heading:
            self.pending = node
        elif _is_caps(node.heading):
            self.caps_heading = node

    # Articles ---------------------------------------------------------------------------------

    def _is_next_article(self, text: str) -> bool:
        match = _ARTICLE.match(text) or _ARTICLE_COMMA.match(text)
        if not match or self.last_article is None:
            return False
        number, suffix = int(match.group(1)), match.group(2)
        last_number, last_suffix = self.last_article
        return (number == last_number + 1 and not suffix) or (number == last_number and suffix > last_suffix)

    def _damaged_heading(self, line: int, text: str) -> tuple[str, re.Match] | None:
        """OCR writes "Điều 27,", "- Điều 15.", "1, Nghị định", "3 Đối với": accept them only where due."""
        cleaned = _LEADING_DEBRIS.sub("", text)
        article = _ARTICLE_COMMA.match(cleaned) or _ARTICLE.match(cleaned)
        if article and self._is_next_article(cleaned):
            self.warn(line, f"dòng «{_excerpt(text)}» được đọc là tiêu đề Điều {article.group(1)}{article.group(2)}")
            return "article", article
        clause = _CLAUSE_LOOSE.match(text)
        if clause and clause.group(2)[0].isupper() and self._next_clause_number() == int(clause.group(1)):
            self.warn(line, f"dòng «{_excerpt(text)}» được đọc là khoản {clause.group(1)}")
            return "clause", clause
        return None

    def _article(self, line: int, match: re.Match) -> None:
        label = match.group(1) + match.group(2)
        key = _article_key(label)
        if self.last_article is not None and key <= self.last_article:
            previous = "".join(map(str, self.last_article))
            self.warn(line, f"“Điều {label}” không theo thứ tự (sau Điều {previous}); giữ làm nội dung")
            self._paragraph(line, match.group(0))
            return
        if self.last_article is not None and key[0] > self.last_article[0] + 1:
            missing = range(self.last_article[0] + 1, key[0])
            names = ", ".join(f"Điều {n}" for n in missing)
            self.warn(line, f"thiếu {names} trước Điều {label}")
        self.last_article = key
        heading, text = _split_article_title(match.group(3))
        node = ParsedProvision("article", label, heading, text, line)
        self._attach(node, self._nearest(*STRUCTURE_KINDS))
        if not match.group(3):
            self.pending = node

    # Clauses, points, paragraphs, bullets -------------------------------------------------------

    def _next_clause_number(self) -> int | None:
        article = self._nearest("article")
        if article is None:
            return None
        clauses = [child for child in article.children if child.kind == "clause"]
        return _article_key(clauses[-1].label)[0] + 1 if clauses else 1

    def _clause(self, line: int, match: re.Match) -> None:
        article = self._nearest("article")
        if article is None:
            self.warn(line, "khoản nằm ngoài mọi điều; giữ làm đoạn văn")
            self._paragraph(line, match.group(0))
            return
        label = match.group(1)
        expected = self._next_clause_number()
        number, suffix = _article_key(label)
        if number != expected and not (suffix and number == expected - 1):
            self.warn(line, f"khoản {label} không theo thứ tự trong Điều {article.label}")
        self._attach(ParsedProvision("clause", label, "", match.group(2), line), article)

    def _point(self, line: int, match: re.Match) -> None:
        parent = self._point_parent()
        label = match.group(1)
        points = [child for child in (parent.children if parent else self.top) if child.kind == "point"]
        expected = _next_letter(points[-1].label) if points else "a"
        if label != expected:
            self.warn(line, f"điểm {label}) không theo thứ tự trong danh sách điểm")
        self._attach(ParsedProvision("point", label, "", match.group(2), line), parent)

    def _point_parent(self) -> ParsedProvision | None:
        """Points hang under a clause, an article, or a sub-heading (an unpunctuated paragraph of an
        article without clauses); a lead-in paragraph ending with ":" leaves them to the article."""
        for index in range(len(self.stack) - 1, -1, -1):
            node = self.stack[index]
            if node.kind in ("clause", "article", *STRUCTURE_KINDS):
                return node
            if node.kind == "paragraph" and self._is_subheading(index):
                return node
        return None

    def _is_subheading(self, index: int) -> bool:
        node, parent = self.stack[index], self.stack[index - 1] if index else None
        return (
            node.kind == "paragraph"
            and parent is not None
            and parent.kind == "article"
            and not _TERMINAL.search(node.text)
            and not any(child.kind == "clause" for child in parent.children)
        )

    def _paragraph(self, line: int, text: str) -> None:
        parent = None
        for index in range(len(self.stack) - 1, -1, -1):
            node = self.stack[index]
            if node.kind == "point":
                # A paragraph after a point belongs to it only when the point reads as a heading
                # ("a) Trường hợp đầu tư công"); otherwise it closes the list, and after points
                # under a sub-heading it is the article's again.
                if index >= 2 and self._is_subheading(index - 1):
                    node = self.stack[index - 2]
                elif node.text.endswith((".", ";", ",")):
                    node = self.stack[index - 1] if index else None
            if node is None or node.kind in CONTAINER_KINDS:
                parent = node
                break
        self._attach(ParsedProvision("paragraph", "", "", text, line), parent)

    def _bullet(self, line: int, match: re.Match) -> None:
        label = match.group(1)
        parent = None
        for node in reversed(self.stack):
            if node.kind != "bullet" or (label == "+" and node.label != "+"):
                parent = node
                break
        self._attach(ParsedProvision("bullet", label, "", match.group(2), line), parent)

    # Quotes -----------------------------------------------------------------------------------

    def _quote_parent(self) -> ParsedProvision | None:
        return self._nearest(*CONTAINER_KINDS)

    def _open_quote(self, ln: _Line, text: str) -> None:
        self.pending = self.caps_heading = None
        self.quote = _Quote(ln.no, self._quote_parent(), curly=_QUOTE_OPEN.match(text).group(1) == "“")
        self._add_quoted(ln, text, opening=True)

    def _orphan_quote_end(self, ln: _Line, text: str) -> None:
        """A line closing a quote that was never opened is still quoted text, not structure."""
        self.pending = self.caps_heading = None
        self.warn(ln.no, "dòng đóng trích dẫn mà không có dấu mở; giữ làm nội dung trích dẫn")
        parent = self._quote_parent()
        node = ParsedProvision("paragraph", "", "", text, ln.no)
        (parent.children if parent else self.top).append(node)
        self.last_node = node

    def _open_inline_quote(self, line: int, text: str) -> None:
        """A clause such as `2. Sửa đổi khoản 2 như sau: “2. ...` opens a quote that runs on."""
        balance = text.count("“") - text.count("”")
        if balance > 0 and self.quote is None:
            self.quote = _Quote(line, self._quote_parent(), curly=True, balance=balance)

    def _add_quoted(self, ln: _Line, text: str, opening: bool = False) -> None:
        quote = self.quote
        if quote.last is not None and not opening and _is_continuation(text):
            quote.last.text = _join(quote.last.text, text)
        else:
            node = ParsedProvision("paragraph", "", "", text, ln.no)
            (quote.parent.children if quote.parent else self.top).append(node)
            quote.last = node
        self.last_node = quote.last
        if quote.closes(text, opening):
            self.quote = None

    # Tree -------------------------------------------------------------------------------------

    def _nearest(self, *kinds: str) -> ParsedProvision | None:
        return next((node for node in reversed(self.stack) if node.kind in kinds), None)

    def _attach(self, node: ParsedProvision, parent: ParsedProvision | None) -> None:
        while self.stack and self.stack[-1] is not parent:
            self.stack.pop()
        (parent.children if parent else self.top).append(node)
        self.stack.append(node)
        self.last_node = node

    def _continue(self, node: ParsedProvision, text: str) -> None:
        if node.kind in STRUCTURE_KINDS or (node.kind == "article" and not node.text):
            node.heading = _join(node.heading, text)
        else:
            node.text = _join(node.text, text)


class _DocumentParser:
    def __init__(self, lines: list[_Line]):
        self.lines = lines
        self.doc = ParsedDocument()
        self.unplaced: set[int] = set()  # indexes of lines that fit nowhere

    def parse(self) -> ParsedDocument:
        lines, doc = self.lines, self.doc
        filled = [ln for ln in lines if ln.text]
        if not filled:
            raise ParseError(1, "văn bản trống")
        start = next((index for index, ln in enumerate(lines) if _opens_body(ln.text)), None)
        if start is None:
            raise ParseError(filled[-1].no, "đã đọc hết văn bản mà không gặp điều nào (dòng dạng “Điều 1. Tên điều”)")
        self._front_matter(start)
        doc.provisions, index = self._body(start)
        index = self._tail(index, allow_attachment=True)
        if index < len(lines):
            index = self._attachment(index)
            self._tail(index, allow_attachment=False)
        if not any(node.kind == "article" for node in doc.iter_provisions()):
            raise ParseError(lines[start].no, "không nhận ra điều nào (dòng dạng “Điều 1. Tên điều”) trong văn bản")
        self._report_unplaced()
        doc.warnings.sort(key=lambda warning: warning.line)
        return doc

    # Heading block ----------------------------------------------------------------------------

    def _front_matter(self, end: int) -> None:
        lines, doc = self.lines, self.doc
        used: set[int] = set()
        cleaned = {index: self._without_motto(lines[index].text) for index in range(end)}
        for index in range(end):
            if lines[index].text and (not cleaned[index] or _RULE.match(lines[index].text)):
                used.add(index)
        stop = next((i for i in range(end) if _BASIS.match(lines[i].text) or _ENACTING_START.match(lines[i].text)), end)

        number_at = date_at = None
        for index in range(stop):
            text = lines[index].text
            if number_at is None and (match := _NUMBER.match(text)):
                doc.number, text = _read_number(match.group(1))
                number_at = index
                used.add(index)
            if date_at is None and (found := _read_place_date(text)):
                doc.place, doc.issued = found
                date_at = index
                used.add(index)
        anchors = [index for index in (number_at, date_at) if index is not None]

        candidates = [i for i in range(stop) if i not in used and _is_caps(cleaned[i])]
        after = [i for i in candidates if not anchors or i > max(anchors)]
        kind_at = next(
            (i for i in after if _starts_kind(cleaned[i])),
            after[0] if after else next((i for i in candidates if _starts_kind(cleaned[i])), None),
        )

        bodies = self._bodies(cleaned, used, anchors, kind_at, candidates)
        for index in bodies:
            used.add(index)
        names = [cleaned[index] for index in bodies]
        if names:
            doc.superior_body = names[0] if len(names) > 1 else ""
            doc.issuing_body = " ".join(names[1:]) if len(names) > 1 else names[0]

        index = (max(anchors) + 1) if anchors else 0
        if kind_at is not None:
            doc.kind_line = cleaned[kind_at]
            used.add(kind_at)
            index = self._title(kind_at + 1, end, used)
        elif anchors:
            index = self._title(index, end, used)  # the kind line is missing, the subject is not
        self._bases_and_enacting(index, end, used)
        self.unplaced.update(i for i in range(end) if lines[i].text and i not in used)

    def _without_motto(self, text: str) -> str:
        """The line without "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and the like, which OCR glues to names."""
        folded = "".join(_fold_char(ch) for ch in text)  # same length as text
        for pattern in _MOTTOS:
            for match in reversed(list(pattern.finditer(folded))):
                text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        return text.strip(" .,;:-*_|")

    def _bodies(
        self, cleaned: dict[int, str], used: set[int], anchors: list[int], kind_at: int | None, candidates: list[int]
    ) -> list[int]:
        """Issuing body lines: the ALL-CAPS lines just above the number and date (or just below)."""
        lines = self.lines
        if not anchors:
            return [i for i in candidates if kind_at is not None and i < kind_at and not _starts_kind(cleaned[i])]
        found: list[int] = []
        for index in range(min(anchors) - 1, -1, -1):
            if not lines[index].text or index in used:
                continue
            if not _is_caps(cleaned[index]) or index == kind_at:
                break
            found.insert(0, index)
        if not found:
            for index in range(min(anchors) + 1, kind_at if kind_at is not None else min(anchors) + 1):
                if lines[index].text and index not in used and _is_caps(cleaned[index]):
                    found.append(index)
        return found

    def _title(self, index: int, end: int, used: set[int]) -> int:
        parts: list[str] = []
        while index < end:
            text = self.lines[index].text
            if not text:
                if parts:
                    break
            elif index in used or _RULE.match(text) or _ends_title(text):
                break
            else:
                parts.append(text)
                used.add(index)
            index += 1
        self.doc.title = " ".join(parts)
        return index

    def _bases_and_enacting(self, index: int, end: int, used: set[int]) -> None:
        bases: list[str] = []
        enacting: list[str] = []
        state = None
        blank_before = False
        for position in range(index, end):
            text = self.lines[position].text
            if not text:
                blank_before = True
                continue
            if position in used:
                continue
            if _BASIS.match(text):
                bases.append(text)
                state = "basis"
            elif state == "basis" and self._continues_basis(bases[-1], text, blank_before):
                bases[-1] = _join(bases[-1], text)
            elif enacting and _is_continuation(text):
                enacting[-1] = _join(enacting[-1], text)
            else:
                enacting.append(text)
                state = "enacting"
            used.add(position)
            blank_before = False
        self.doc.legal_bases = [re.sub(r"^[-–•+]\s*|[\s;,:.]+$", "", basis) for basis in bases]
        self.doc.enacting = "\n".join(enacting)

    @staticmethod
    def _continues_basis(basis: str, text: str, blank_before: bool) -> bool:
        """OCR wraps a basis over several lines, sometimes with blank lines between."""
        if _ENACTING_START.match(text):
            return False
        return not blank_before or (_is_continuation(text) and not _TERMINAL.search(basis))

    # Body and attachment ----------------------------------------------------------------------

    def _body(self, index: int) -> tuple[list[ParsedProvision], int]:
        body = _Body(self.doc.warnings)
        while index < len(self.lines) and body.feed(self.lines[index]):
            index += 1
        body.finish(self.lines[index].no if index < len(self.lines) else self.lines[-1].no + 1)
        return body.top, index

    def _attachment_starts(self, index: int) -> bool:
        """ "QUY CHẾ ..." (then "(Kèm theo ...)") followed closely by chapters or articles."""
        text = self.lines[index].text
        if not (_is_caps(text) and _starts_kind(text)):
            return False
        following = [ln.text for ln in self.lines[index + 1 :] if ln.text][:6]
        for text in following:
            if _opens_body(text):
                return True
            if _ends_body(text):
                return False
        return False

    def _attachment(self, index: int) -> int:
        doc, lines = self.doc, self.lines
        heading: list[str] = []
        while index < len(lines):
            if _opens_body(lines[index].text):
                break
            if lines[index].text:
                heading.append(lines[index].text)
            index += 1
        doc.warnings.append(
            ParseWarning(
                lines[index].no,
                f"văn bản kèm theo «{_excerpt(heading[0])}» được lấy làm nội dung chính; "
                f"{len(doc.provisions)} điều của văn bản ban hành được giữ riêng, "
                "không gộp với cách đánh số của văn bản kèm theo",
            )
        )
        doc.attachment_heading = "\n".join(heading)
        doc.issuing_provisions = doc.provisions
        doc.provisions, index = self._body(index)
        return index

    # Recipients and signature -----------------------------------------------------------------

    def _tail(self, index: int, allow_attachment: bool) -> int:
        """Read "Nơi nhận:" and the signature; stop where an attached regulation starts."""
        doc, lines = self.doc, self.lines
        has_signature = bool(doc.signer_authority or doc.signer_position or doc.signer_name)
        mode = None
        while index < len(lines):
            text = lines[index].text
            folded = fold(text)
            if not text:
                pass
            elif mode == "annex" or _starts_annex(text):
                mode = "annex"
                self.unplaced.add(index)
            elif allow_attachment and self._attachment_starts(index):
                return index
            elif _RECIPIENTS.match(folded):
                mode = "recipients"
                rest = text.partition(":")[2].strip()
                if rest:
                    self._recipient(rest)
            elif _AUTHORITY.match(text) and _is_caps(text):
                mode = "other signature" if has_signature else "signature"
                if mode == "signature":
                    doc.signer_authority = text
            elif mode == "recipients" and _RECIPIENT_ITEM.match(text):
                self._recipient(text)
            elif (
                mode == "recipients"
                and doc.recipients
                and not _is_caps(text)
                and (_is_continuation(text) or not _TERMINAL.search(doc.recipients[-1]))
            ):
                doc.recipients[-1] = _join(doc.recipients[-1], text)
            elif mode == "other signature" or (text.startswith("(") and text.endswith(")") and mode == "signature"):
                pass  # a second signature block, or "(Đã ký, đóng dấu)"
            elif _is_caps(text) and not doc.signer_name and not has_signature:
                doc.signer_position = "\n".join(filter(None, [doc.signer_position, text]))
                mode = "signature"
            elif mode == "signature" and not doc.signer_name and _looks_like_name(text):
                doc.signer_name = text
                mode = None
            else:
                self.unplaced.add(index)
            index += 1
        doc.recipients = [re.sub(r"[\s;,.]+$", "", item) for item in doc.recipients]
        return index

    def _recipient(self, text: str) -> None:
        match = _RECIPIENT_ITEM.match(text)
        if match:
            self.doc.recipients.append(match.group(1))
        elif len(text) > 2:  # shorter is OCR debris after "Nơi nhận:"
            self.doc.recipients.append(text)

    def _report_unplaced(self) -> None:
        runs: list[list[int]] = []
        for index in sorted(self.unplaced):
            between = range(runs[-1][-1] + 1, index) if runs else range(0)
            if runs and all(not self.lines[i].text for i in between):
                runs[-1].append(index)
            else:
                runs.append([index])
        for run in runs:
            first, last = self.lines[run[0]], self.lines[run[-1]]
            if len(run) == 1:
                message = f"không xếp được dòng này vào cấu trúc văn bản: «{_excerpt(first.text)}»"
            else:
                message = (
                    f"không xếp được {len(run)} dòng (dòng {first.no}–{last.no}) vào cấu trúc văn bản, "
                    f"bắt đầu bằng «{_excerpt(first.text)}»"
                )
            self.doc.warnings.append(ParseWarning(first.no, message))


def _ends_title(text: str) -> bool:
    return bool(_BASIS.match(text) or _ENACTING_START.match(text)) or text.endswith("như sau:")


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return "d" if base == "đ" else base


def _read_number(rest: str) -> tuple[str, str]:
    """ "01 -QC/ĐU Công Hải, ngày ..." -> ("01-QC/ĐU", "Công Hải, ngày ...")."""
    tokens = rest.split()
    taken = 0
    for token in tokens:
        symbol_like = any(ch.isdigit() for ch in token) or "/" in token or token.startswith("-") or token.isupper()
        if not (_SYMBOL_TOKEN.fullmatch(token) and symbol_like):
            break
        taken += 1
    number = re.sub(r"\s*([-/])\s*", r"\1", " ".join(tokens[:taken])).strip(" .,")
    return number, " ".join(tokens[taken:])


def _read_place_date(text: str) -> tuple[str, datetime.date] | None:
    """ "Công Hải, ngày 10 tháng 7 năm 2025" -> ("Công Hải", date(2025, 7, 10))."""
    match = _DATE.search(text)
    if not match or text[match.end() :].strip(" .,;)"):
        return None
    prefix = text[: match.start()].rstrip()
    if prefix and not prefix.endswith(","):
        return None
    words = prefix.rstrip(",").split()
    while words and not words[0][0].isupper():
        words.pop(0)  # OCR debris between the number and the place
    if len(words) > 6:
        return None
    day, month, year = (int(value) for value in match.groups() if value is not None)
    try:
        return " ".join(words), datetime.date(year, month, day)
    except ValueError:
        return None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and not any(ch.isdigit() for ch in text) and all(word[0].isupper() for word in words)


def parse_regulation(text: str) -> ParsedDocument:
    """Read a regulation's plain text (any Unicode form, any line ending) into its structure."""
    return _DocumentParser(_split_lines(text)).parse()


def read_docx(file) -> str:
    """The text of a .docx (path or file object): paragraphs and table cells, one per line."""
    document = Document(file)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    # A merged cell is returned once per grid column it spans.
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        lines.append(cell.text)
        else:
            lines.append(block.text)
    return "\n".join(lines)


def render_text(doc: ParsedDocument) -> str:
    """Plain text that parse_regulation reads back into the same document."""
    out = [name for name in (doc.superior_body, doc.issuing_body) if name]
    if doc.number:
        out.append(f"Số: {doc.number}")
    if doc.issued:
        date = f"ngày {doc.issued.day} tháng {doc.issued.month} năm {doc.issued.year}"
        out.append(f"{doc.place}, {date}" if doc.place else date)
    out.append("")
    out += [text for text in (doc.kind_line, doc.title) if text]
    out.append("-----")
    out += [f"- {basis};" for basis in doc.legal_bases]
    if doc.enacting:
        out += ["", *doc.enacting.split("\n")]
    _render_provisions(doc.issuing_provisions or doc.provisions, out)
    if doc.recipients:
        out += ["", "Nơi nhận:", *(f"- {item};" for item in doc.recipients)]
    signature = [doc.signer_authority, *doc.signer_position.split("\n"), doc.signer_name]
    if any(signature):
        out += ["", *filter(None, signature)]
    if doc.issuing_provisions:
        out += ["", *doc.attachment_heading.split("\n")]
        _render_provisions(doc.provisions, out)
    return "\n".join(out) + "\n"


def _render_provisions(nodes: list[ParsedProvision], out: list[str]) -> None:
    for node in nodes:
        if node.kind in STRUCTURE_KINDS:
            out += ["", f"{STRUCTURE_WORDS[node.kind]} {node.label}"]
            if _is_caps(node.heading):
                out.append(node.heading)  # the usual layout: the title in capitals on the next line
            elif node.heading:
                out[-1] += f" - {node.heading}"
        elif node.kind == "article":
            out.append("")
            out += _render_article(node)
        elif node.kind == "clause":
            out.append(f"{node.label}. {node.text}")
        elif node.kind == "point":
            out.append(f"{node.label}) {node.text}")
        elif node.kind == "bullet":
            out.append(f"{node.label} {node.text}")
        else:
            out.append(node.text)
        _render_provisions(node.children, out)


def _render_article(node: ParsedProvision) -> list[str]:
    head = f"Điều {node.label}."
    if node.heading and node.text:
        return [f"{head} {node.heading}: {node.text}"]
    if node.heading and _split_article_title(node.heading) != (node.heading, ""):
        return [head, node.heading]  # a title that reads like a sentence goes on its own line
    rest = node.heading or node.text
    return [f"{head} {rest}" if rest else head]
