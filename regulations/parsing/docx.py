"""Reading the text out of a Word (.docx) file."""

import re
import zipfile

from docx import Document
from docx.oxml.ns import qn

from .limits import Refused, megabytes, number

# A .docx is a zip: its size on disk says nothing of what it unpacks to. What python-docx would
# load (every part, the XML ones parsed) is bounded first from the zip's directory alone; zipfile
# then never reads more than an entry's declared size (a lying entry fails its CRC check).
# A 10 MB document.xml, far more than 2,000,000 characters in Word's markup, reads in 2 s and
# 170 MB; 20 MB took 4 s and 290 MB.
MAX_ENTRIES = 1_000
MAX_PART = 10 * 1024 * 1024
MAX_TOTAL = 30 * 1024 * 1024
# Word's XML packs about 10:1; a part unpacking more than 100 times its size is a bomb.
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024


def check_docx(file) -> None:
    """Refuse a file that is not a Word document, or would unpack to too much, before opening it."""
    with zipfile.ZipFile(file) as archive:
        entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise Refused(f"Tệp có {number(len(entries))} thành phần (tối đa {number(MAX_ENTRIES)}).")
    if not any(entry.filename == "[Content_Types].xml" for entry in entries):
        raise Refused("Tệp nén này không phải văn bản Word (.docx).")
    for entry in entries:
        if entry.file_size > MAX_PART:
            raise Refused(
                f"Phần {entry.filename} giải nén ra {megabytes(entry.file_size)} "
                f"(tối đa {megabytes(MAX_PART)} cho một phần)."
            )
        ratio = entry.file_size // max(entry.compress_size, 1)
        if entry.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise Refused(
                f"Phần {entry.filename} bị nén bất thường ({number(ratio)} lần); "
                "tệp có thể được tạo ra để làm quá tải máy chủ."
            )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_TOTAL:
        raise Refused(f"Tệp giải nén ra {megabytes(total)} (tối đa {megabytes(MAX_TOTAL)}).")


def open_docx(file):
    """The python-docx document of a .docx (path or file object), once `check_docx` has let it through.

    Raises Refused for a file refused by `check_docx`; zipfile.BadZipFile, or whatever python-docx
    raises, for a damaged one. python-docx parses every part without resolving entities or fetching
    anything, so an XML part cannot name another file or expand to more than it holds.
    """
    check_docx(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return Document(file)


def read_docx(file) -> str:
    """The text of a .docx (path or file object), one paragraph a line.

    What Word numbers by itself (automatic lists, w:numPr) is written with the label it shows ("1.", "a)",
    "Điều 3."). A table inside the text (after its first article, of two rows or more, not the recipients and
    signature) is written a row a line, "| cell | cell |", so that each row stays one paragraph of its
    article; the letterhead's and the closing's cells are written one per line, as the parser reads them.

    Raises as `open_docx` does.
    """
    document = open_docx(file)
    numbering = _Numbering(document)
    lines: list[str] = []
    in_text = False
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            rows = [_distinct_cells(row) for row in block.rows]
            if (
                in_text
                and len(rows) > 1
                and not any(cell.text.lstrip().startswith("Nơi nhận") for row in rows for cell in row)
            ):
                lines += ["| " + " | ".join(" ".join(cell.text.split()) for cell in row) + " |" for row in rows]
            else:
                lines += [cell.text for row in rows for cell in row]
        else:
            label = numbering.label(block)
            text = f"{label} {block.text}" if label and block.text.strip() else block.text
            in_text = in_text or bool(_ARTICLE.match(text))
            lines.append(text)
    return "\n".join(lines)


_ARTICLE = re.compile(r"\s*(?:Điều|ĐIỀU)\s+\d+")


def _distinct_cells(row) -> list:
    """The row's cells, a merged cell once (python-docx returns it once per grid column it spans)."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _letters(number: int, alphabet: str) -> str:
    """Word's letter numbering: a … z, then aa, bb …"""
    return alphabet[(number - 1) % len(alphabet)] * ((number - 1) // len(alphabet) + 1)


def _roman(number: int) -> str:
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip
    out = ""
    for value, numeral in values:
        while number >= value:
            out, number = out + numeral, number - value
    return out


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
    "none": lambda n: "",
}


class _Numbering:
    """Word's automatic numbering, counted as Word counts it: each list definition (w:abstractNum) keeps a
    counter per level, shared by the lists that use it unless one restarts it (w:startOverride); a level
    counts on from its start value and sets the deeper levels back."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.lists: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        root = _numbering_root(document)
        if root is None:
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for level in abstract.findall(qn("w:lvl")):
                start = _value(level.find(qn("w:start")))
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    int(start) if start and start.isdigit() else 1,
                    _value(level.find(qn("w:numFmt"))) or "decimal",
                    _value(level.find(qn("w:lvlText"))) or "",
                )
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for entry in root.findall(qn("w:num")):
            starts = {}
            for override in entry.findall(qn("w:lvlOverride")):
                start = _value(override.find(qn("w:startOverride")))
                if start and start.isdigit():
                    starts[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self.lists[entry.get(qn("w:numId"))] = (_value(entry.find(qn("w:abstractNumId"))), starts)

    def label(self, paragraph) -> str:
        found = _number_properties(paragraph)
        if found is None:
            return ""
        number_id, level = found
        list_id, starts = self.lists.get(number_id, (None, {}))
        levels = self.levels.get(list_id)
        if not levels or level not in levels:
            return ""
        # Lists that share a definition count on together, unless one restarts it (Word's "Restart at 1").
        counters = self.counters.setdefault(number_id if starts else list_id, {})
        start, kind, text = levels[level]
        start = starts.get(level, start)
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if kind == "bullet":
            return "-"
        for at, (_, at_kind, _) in levels.items():
            if f"%{at + 1}" in text:
                value = counters.get(at, levels[at][0])
                text = text.replace(f"%{at + 1}", _FORMATS.get(at_kind, str)(value))
        return text.strip()


def _value(element) -> str | None:
    return element.get(qn("w:val")) if element is not None else None


def _numbering_root(document):
    """The numbering part's XML, if the document has one."""
    for relationship in document.part.rels.values():
        if relationship.reltype.endswith("/numbering") and not relationship.is_external:
            return relationship.target_part.element
    return None


def _number_properties(paragraph) -> tuple[str, int] | None:
    """(numId, level) of the paragraph's automatic numbering, its own or its style's; None if it has none."""
    properties = paragraph._p.pPr
    numbered = properties.find(qn("w:numPr")) if properties is not None else None
    style = paragraph.style if numbered is None else None
    while numbered is None and style is not None:
        style_properties = style.element.pPr
        numbered = style_properties.find(qn("w:numPr")) if style_properties is not None else None
        style = style.base_style
    if numbered is None:
        return None
    number_id = _value(numbered.find(qn("w:numId")))
    level = _value(numbered.find(qn("w:ilvl")))
    if not number_id or number_id == "0":
        return None
    return number_id, int(level) if level and level.isdigit() else 0
