"""The document parser: heading block, body, attached regulation, recipients and signature."""

import datetime
import re
import unicodedata

from quyche.text import fold

from .body import _Body
from .model import ParsedDocument, ParsedProvision, ParseError, ParseWarning
from .patterns import (
    _AUTHORITY,
    _BASIS,
    _DATE,
    _ENACTING_START,
    _MOTTOS,
    _NUMBER,
    _RECIPIENT_ITEM,
    _RECIPIENTS,
    _RULE,
    _SYMBOL_TOKEN,
    _TERMINAL,
    _excerpt,
    _is_caps,
    _is_continuation,
    _join,
    _Line,
    _opens_body,
    _split_lines,
    _starts_annex,
    _starts_kind,
    ends_body,
)


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
            if ends_body(text):
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
