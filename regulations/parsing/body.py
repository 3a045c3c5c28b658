"""The body parser: Phần > Chương > Mục > Điều > khoản > điểm, paragraphs, bullets and quoted text."""

import re

from .model import ParsedProvision, ParseWarning
from .patterns import (
    _ARTICLE,
    _ARTICLE_COMMA,
    _CLAUSE_LOOSE,
    _LEADING_DEBRIS,
    _QUOTE_OPEN,
    _RULE,
    _STRAIGHT_CLOSE,
    _TERMINAL,
    _UNDERSCORE_DEBRIS,
    CONTAINER_KINDS,
    STRUCTURE_KINDS,
    _article_key,
    _excerpt,
    _is_caps,
    _is_continuation,
    _join,
    _Line,
    _next_letter,
    _roman,
    _split_article_title,
    _structure_match,
    ends_body,
)


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
            if not (ends_body(text) or self._is_next_article(text)):
                self._add_quoted(ln, text)
                return True
            self.finish(ln.no)
        if ends_body(text):
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
