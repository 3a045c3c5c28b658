"""Regulations as Word documents (.docx), in the party's document format (Hướng dẫn 36-HD/VPTW).

The same layout as the PDF (templates/pdf/version.html, static/pdf/document.css): A4, margins 25/25/35/15 mm,
Times New Roman 14, the letterhead table, the title, the legal bases, the text, the signature and the
recipients, page numbers from page 2. What an office keeps editing is made of real Word styles: "Heading 1"
for parts and chapters, "Heading 2" for sections, "Heading 3" for articles (so Word's navigation pane lists
them), "Khoản" and "Điểm" for clauses and points, "Nội dung" for the other paragraphs.

The package is written here part by part, not from python-docx's template: its styles are ours alone (the
template's theme fonts and colours would win over Times New Roman), and a 300-article text is written in a
fraction of a second (bench/docx.py). `WordDocument` is the writer any paper of ours can use (letterhead,
paragraphs, tables, comments, revisions); `version_docx` writes a version with it, and regulations/tracked.py
writes a draft against the text in force as tracked changes.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import count
from typing import NamedTuple
from xml.sax.saxutils import escape

from django.http import FileResponse
from lxml import etree

from .consolidation import document_name
from .pdf import place_and_date
from .selectors import body_text, provision_tree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Page and text width, in twentieths of a point: A4 with margins 25 mm top and bottom, 35 mm left, 15 mm right.
PAGE = {"width": 11906, "height": 16838, "top": 1417, "bottom": 1417, "left": 1984, "right": 850}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]
# Characters XML 1.0 cannot hold; a text pasted from elsewhere may carry them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w(tag: str) -> str:
    """The qualified name of a WordprocessingML element or attribute: w("p") is "{…/main}p"."""
    return f"{{{W_NS}}}{tag}"


class Run(NamedTuple):
    """A piece of text with its formatting; a line break inside it is written as Word's."""

    text: str
    bold: bool | None = None  # None: as the style has it; False: not bold in a bold style (an article's own text)
    italic: bool = False
    caps: bool = False
    underline: bool = False
    size: float | None = None  # points; the style's otherwise
    boxed: bool = False


class Revision(NamedTuple):
    """Who made a tracked change, and when (Word shows both on the change)."""

    author: str
    at: datetime.datetime


def word_date(moment: datetime.datetime) -> str:
    """Word's w:date: UTC, to the second, with Z."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WordDocument:
    """A .docx being written in the party's format: add paragraphs, tables and comments, then `save()`.

    Paragraphs go to the end of the body in the order they are added. Revisions (`ins`, `delete`) and
    comments are Word's own, so Word and LibreOffice show them as tracked changes and comments.
    """

    def __init__(self, *, title: str = "", track_changes: bool = False, line_numbers: bool = False):
        self.body = etree.Element(w("body"), nsmap=NSMAP)
        self.title = title
        self.track_changes = track_changes
        self.line_numbers = line_numbers
        self.properties: dict[str, str] = {}  # custom document properties (File > Properties > Custom)
        self._comments: list[etree._Element] = []
        self._ids = count(1)  # revisions, comments and bookmarks each need an id unique in the document

    # Paragraphs and runs -------------------------------------------------------------------------------

    def paragraph(
        self, runs=(), *, style: str | None = None, align: str | None = None, parent=None, space_before=None,
        space_after=None, keep_next: bool = False, indent: bool | None = None,
    ) -> etree._Element:  # fmt: skip
        """A paragraph of `runs` (Run, or plain strings) appended to `parent` (the body by default)."""
        p = etree.SubElement(self.body if parent is None else parent, w("p"))
        properties = etree.SubElement(p, w("pPr"))
        if style:
            etree.SubElement(properties, w("pStyle"), {w("val"): style})
        if keep_next:
            etree.SubElement(properties, w("keepNext"))
        if space_before is not None or space_after is not None:
            spacing = etree.SubElement(properties, w("spacing"))
            if space_before is not None:
                spacing.set(w("before"), str(round(space_before * 20)))
            if space_after is not None:
                spacing.set(w("after"), str(round(space_after * 20)))
        if indent is False:
            etree.SubElement(properties, w("ind"), {w("firstLine"): "0"})
        if align:
            etree.SubElement(properties, w("jc"), {w("val"): align})
        for run in runs:
            self.run(p, run if isinstance(run, Run) else Run(run))
        return p

    def run(self, parent, run: Run, *, deleted: bool = False) -> None:
        """Append the run to a paragraph (or to a revision in it); `deleted` text goes in w:delText."""
        text = _NOT_XML.sub("", run.text)
        r = etree.SubElement(parent, w("r"))
        properties = _run_properties(run)
        if properties is not None:
            r.append(properties)
        for index, line in enumerate(text.split("\n")):
            if index:
                etree.SubElement(r, w("br"))
            if line:
                t = etree.SubElement(r, w("delText" if deleted else "t"))
                t.text = line
                if line[0].isspace() or line[-1].isspace():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    def revision(self, parent, kind: str, by: Revision) -> etree._Element:
        """A w:ins or w:del in `parent`, to put runs in."""
        return etree.SubElement(parent, w(kind), self._revision_attributes(by))

    def mark_paragraph(self, p, kind: str, by: Revision) -> None:
        """The paragraph's own mark inserted or deleted, so that accepting or rejecting joins it to the next."""
        properties = p.find(w("pPr"))
        marks = properties.find(w("rPr"))
        if marks is None:
            marks = etree.SubElement(properties, w("rPr"))
        etree.SubElement(marks, w(kind), self._revision_attributes(by))

    def _revision_attributes(self, by: Revision) -> dict:
        return {w("id"): str(next(self._ids)), w("author"): by.author, w("date"): word_date(by.at)}

    # Bookmarks and comments ------------------------------------------------------------------------------

    def bookmark_start(self, p, name: str) -> str:
        """A bookmark opened at the start of the paragraph (after its properties); its id, to close it."""
        identifier = str(next(self._ids))
        p.insert(1, etree.Element(w("bookmarkStart"), {w("id"): identifier, w("name"): name}))
        return identifier

    def bookmark_end(self, p, identifier: str) -> None:
        etree.SubElement(p, w("bookmarkEnd"), {w("id"): identifier})

    def comment(self, first, last, *, by: Revision, text: str) -> None:
        """A Word comment by `by` on the paragraphs from `first` to `last`."""
        identifier = str(next(self._ids))
        first.insert(1, etree.Element(w("commentRangeStart"), {w("id"): identifier}))
        etree.SubElement(last, w("commentRangeEnd"), {w("id"): identifier})
        reference = etree.SubElement(last, w("r"))
        etree.SubElement(etree.SubElement(reference, w("rPr")), w("rStyle"), {w("val"): "CommentReference"})
        etree.SubElement(reference, w("commentReference"), {w("id"): identifier})
        initials = "".join(word[0] for word in by.author.split() if word)[:8]
        comment = etree.Element(
            w("comment"),
            {w("id"): identifier, w("author"): by.author, w("date"): word_date(by.at), w("initials"): initials},
        )
        for index, line in enumerate(_NOT_XML.sub("", text).split("\n")):
            p = self.paragraph(style="CommentText", parent=comment)
            if index == 0:
                annotation = etree.SubElement(p, w("r"))
                etree.SubElement(etree.SubElement(annotation, w("rPr")), w("rStyle"), {w("val"): "CommentReference"})
                etree.SubElement(annotation, w("annotationRef"))
            self.run(p, Run(line))
        self._comments.append(comment)

    # Tables --------------------------------------------------------------------------------------------

    def table(self, widths: list[int], *, borders: bool = False, parent=None) -> etree._Element:
        """An empty table of these column widths (twentieths of a point); add rows with `row`."""
        table = etree.SubElement(self.body if parent is None else parent, w("tbl"))
        properties = etree.SubElement(table, w("tblPr"))
        if borders:
            etree.SubElement(properties, w("tblStyle"), {w("val"): "TableGrid"})
        etree.SubElement(properties, w("tblW"), {w("w"): str(sum(widths)), w("type"): "dxa"})
        etree.SubElement(properties, w("tblLayout"), {w("type"): "fixed"})
        if not borders:
            margins = etree.SubElement(properties, w("tblCellMar"))
            for side in ("left", "right"):
                etree.SubElement(margins, w(side), {w("w"): "0", w("type"): "dxa"})
        grid = etree.SubElement(table, w("tblGrid"))
        for width in widths:
            etree.SubElement(grid, w("gridCol"), {w("w"): str(width)})
        return table

    def row(self, table, *, header: bool = False, cant_split: bool = False) -> list[etree._Element]:
        """A new row of the table: its cells, each to put paragraphs in (a cell needs at least one)."""
        tr = etree.SubElement(table, w("tr"))
        if header or cant_split:
            properties = etree.SubElement(tr, w("trPr"))
            if cant_split:
                etree.SubElement(properties, w("cantSplit"))
            if header:
                etree.SubElement(properties, w("tblHeader"))
        cells = []
        for grid_column in table.find(w("tblGrid")):
            tc = etree.SubElement(tr, w("tc"))
            etree.SubElement(
                etree.SubElement(tc, w("tcPr")), w("tcW"), {w("w"): grid_column.get(w("w")), w("type"): "dxa"}
            )
            cells.append(tc)
        return cells

    # The party's heading and closing ---------------------------------------------------------------------

    def letterhead(self, *, superior: str, issuing: str, number: str, place_and_date: str, mark: str = "") -> None:
        """The issuing body (left) and "ĐẢNG CỘNG SẢN VIỆT NAM" (right), the number and the place and date,
        with `mark` ("DỰ THẢO") boxed above the motto."""
        half = TEXT_WIDTH // 2
        table = self.table([half, TEXT_WIDTH - half])
        cell = {"parent": None, "style": "Letterhead", "align": "center"}
        if mark:
            left, right = self.row(table)
            self.paragraph(**{**cell, "parent": left})
            self.paragraph([Run(mark, bold=True, size=13, boxed=True)], **{**cell, "parent": right, "align": "right"})
        left, right = self.row(table)
        if superior:
            self.paragraph([Run(superior, caps=True)], **{**cell, "parent": left})
        self.paragraph([Run(issuing, bold=True, caps=True)], **{**cell, "parent": left})
        self.paragraph(["*"], **{**cell, "parent": left})
        self.paragraph([Run("ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)], **{**cell, "parent": right})
        left, right = self.row(table)
        self.paragraph([number], **{**cell, "parent": left}, space_before=6)
        self.paragraph([Run(place_and_date, italic=True)], **{**cell, "parent": right}, space_before=6)
        self.paragraph(style="Letterhead", space_after=12)

    def closing(self, *, recipients: list[str], authority: str, position: str, name: str) -> None:
        """Recipients (left, "Nơi nhận:") and the signature block (right), kept on one page."""
        if not (recipients or authority or position or name):
            return
        left_width = TEXT_WIDTH * 45 // 100
        left, right = self.row(self.table([left_width, TEXT_WIDTH - left_width]), cant_split=True)
        if recipients:
            self.paragraph(
                [Run("Nơi nhận:", bold=True, italic=True, underline=True, size=12)], style="Recipients", parent=left
            )
            for index, item in enumerate(recipients):
                end = "." if index == len(recipients) - 1 else ","
                self.paragraph([f"- {item}{end}"], style="Recipients", parent=left)
        else:
            self.paragraph(parent=left, style="Recipients")
        signature = {"style": "Signature", "parent": right}
        if authority:
            self.paragraph([Run(authority, caps=True)], **signature)
        for line in filter(None, position.split("\n")):
            self.paragraph([Run(line, caps=True)], **signature)
        # The space the signature takes, 28 mm as in the PDF.
        self.paragraph([name], **signature, space_before=80)

    # The package ---------------------------------------------------------------------------------------

    def save(self) -> bytes:
        self.body.append(_section(self.line_numbers))
        document = etree.Element(w("document"), nsmap=NSMAP)
        document.append(self.body)
        parts = {
            "[Content_Types].xml": _content_types(self._comments, self.properties),
            "_rels/.rels": _package_relationships(self.properties),
            "docProps/core.xml": _core(self.title),
            "docProps/app.xml": _APP,
            "word/document.xml": etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True),
            "word/_rels/document.xml.rels": _document_relationships(self._comments),
            "word/styles.xml": STYLES,
            "word/settings.xml": _settings(self.track_changes),
            "word/header1.xml": _header(page_number=True),
            "word/header2.xml": _header(page_number=False),
        }
        if self._comments:
            comments = etree.Element(w("comments"), nsmap=NSMAP)
            comments.extend(self._comments)
            parts["word/comments.xml"] = etree.tostring(
                comments, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        if self.properties:
            parts["docProps/custom.xml"] = _custom(self.properties)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
        return buffer.getvalue()


def _run_properties(run: Run):
    if not (run.bold is not None or run.italic or run.caps or run.underline or run.size or run.boxed):
        return None
    properties = etree.Element(w("rPr"))
    # In the order the schema gives them.
    if run.bold is not None:
        value = {} if run.bold else {w("val"): "0"}
        etree.SubElement(properties, w("b"), value)
        etree.SubElement(properties, w("bCs"), value)
    if run.italic:
        etree.SubElement(properties, w("i"))
        etree.SubElement(properties, w("iCs"))
    if run.caps:
        etree.SubElement(properties, w("caps"))
    if run.boxed:
        etree.SubElement(
            properties, w("bdr"), {w("val"): "single", w("sz"): "8", w("space"): "2", w("color"): "000000"}
        )
    if run.size:
        etree.SubElement(properties, w("sz"), {w("val"): str(round(run.size * 2))})
        etree.SubElement(properties, w("szCs"), {w("val"): str(round(run.size * 2))})
    if run.underline:
        etree.SubElement(properties, w("u"), {w("val"): "single"})
    return properties


def _section(line_numbers: bool) -> etree._Element:
    """A4 portrait, the party's margins, page numbers at the top from page 2 (the first page's header is empty)."""
    section = etree.Element(w("sectPr"))
    r_id = f"{{{R_NS}}}id"
    etree.SubElement(section, w("headerReference"), {w("type"): "default", r_id: "rIdHeader"})
    etree.SubElement(section, w("headerReference"), {w("type"): "first", r_id: "rIdHeaderFirst"})
    etree.SubElement(section, w("pgSz"), {w("w"): str(PAGE["width"]), w("h"): str(PAGE["height"])})
    margins = {side: str(PAGE[side]) for side in ("top", "right", "bottom", "left")}
    etree.SubElement(
        section,
        w("pgMar"),
        {**{w(k): v for k, v in margins.items()}, w("header"): "709", w("footer"): "709", w("gutter"): "0"},
    )
    if line_numbers:
        etree.SubElement(section, w("lnNumType"), {w("countBy"): "1", w("restart"): "continuous"})
    etree.SubElement(section, w("cols"), {w("space"): "720"})
    etree.SubElement(section, w("titlePg"))
    return section


def _header(*, page_number: bool) -> bytes:
    number = '<w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>' if page_number else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        f'<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{number}</w:p></w:hdr>'
    ).encode()


def _settings(track_changes: bool) -> bytes:
    # With trackRevisions on, what a member types in the consultation copy is tracked from the first keystroke.
    tracked = "<w:trackRevisions/>" if track_changes else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{W_NS}">'
        f'<w:zoom w:percent="100"/>{tracked}<w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        'w:val="15"/></w:compat></w:settings>'
    ).encode()


_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_OFFICE = "application/vnd.openxmlformats-officedocument"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CUSTOM_PROPERTIES_TYPE = f"{_RELS}/custom-properties"


def _content_types(comments, properties) -> bytes:
    overrides = {
        "/word/document.xml": f"{_MAIN}.document.main+xml",
        "/word/styles.xml": f"{_MAIN}.styles+xml",
        "/word/settings.xml": f"{_MAIN}.settings+xml",
        "/word/header1.xml": f"{_MAIN}.header+xml",
        "/word/header2.xml": f"{_MAIN}.header+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": f"{_OFFICE}.extended-properties+xml",
    }
    if comments:
        overrides["/word/comments.xml"] = f"{_MAIN}.comments+xml"
    if properties:
        overrides["/docProps/custom.xml"] = f"{_OFFICE}.custom-properties+xml"
    lines = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items())
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{lines}</Types>'
    ).encode()


def _relationships(relationships: dict[str, tuple[str, str]]) -> bytes:
    lines = "".join(
        f'<Relationship Id="{key}" Type="{kind}" Target="{target}"/>' for key, (kind, target) in relationships.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{lines}</Relationships>'
    ).encode()


def _package_relationships(properties) -> bytes:
    relationships = {
        "rId1": (f"{_RELS}/officeDocument", "word/document.xml"),
        "rId2": (
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
        ),
        "rId3": (f"{_RELS}/extended-properties", "docProps/app.xml"),
    }
    if properties:
        relationships["rId4"] = (CUSTOM_PROPERTIES_TYPE, "docProps/custom.xml")
    return _relationships(relationships)


def _document_relationships(comments) -> bytes:
    relationships = {
        "rIdStyles": (f"{_RELS}/styles", "styles.xml"),
        "rIdSettings": (f"{_RELS}/settings", "settings.xml"),
        "rIdHeader": (f"{_RELS}/header", "header1.xml"),
        "rIdHeaderFirst": (f"{_RELS}/header", "header2.xml"),
    }
    if comments:
        relationships["rIdComments"] = (f"{_RELS}/comments", "comments.xml")
    return _relationships(relationships)


def _core(title: str) -> bytes:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(_NOT_XML.sub('', title))}</dc:title><dc:creator>Quy chế</dc:creator>"
        f'<dc:language>vi-VN</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        "</cp:coreProperties>"
    ).encode()


_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Quy chế</Application></Properties>"
).encode()


def _custom(properties: dict[str, str]) -> bytes:
    # Word's format id for user-defined properties; pids start at 2.
    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    lines = "".join(
        f'<property fmtid="{fmtid}" pid="{pid}" name="{escape(name)}"><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{lines}</Properties>'
    ).encode()


def _style(kind, style_id, name, *, based_on="Normal", paragraph="", run="", extra="") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    p = f"<w:pPr>{paragraph}</w:pPr>" if paragraph else ""
    r = f"<w:rPr>{run}</w:rPr>" if run else ""
    return f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}{extra}{p}{r}</w:style>'


_CENTER = '<w:jc w:val="center"/>'
_TEXT = '<w:jc w:val="both"/><w:ind w:firstLine="720"/>'  # justified, first line indented 1.27 cm
_BOLD = "<w:b/><w:bCs/>"
_NEXT = '<w:next w:val="NoiDung"/><w:qFormat/>'
_NO_SPACE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
_FONT = "<w:rFonts {}/>".format(
    " ".join(f'w:{name}="Times New Roman"' for name in ("ascii", "eastAsia", "hAnsi", "cs"))
)
_LINE = '<w:{side} w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
_GRID = "".join(_LINE.format(side=side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_PADDING = "".join(f'<w:{side} w:w="{width}" w:type="dxa"/>' for side, width in
                   (("top", 80), ("left", 100), ("bottom", 80), ("right", 100)))  # fmt: skip


def _size(points: float) -> str:
    return f'<w:sz w:val="{round(points * 2)}"/><w:szCs w:val="{round(points * 2)}"/>'


def _heading(level: int, paragraph: str) -> str:
    return _style("paragraph", f"Heading{level}", f"heading {level}", extra=_NEXT, run=_BOLD,
                  paragraph=f'<w:keepNext/>{paragraph}<w:outlineLvl w:val="{level - 1}"/>')  # fmt: skip


_STYLES = [
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>',
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:semiHidden/></w:style>',
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:left w:w="108" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
    f"<w:pPr>{_NO_SPACE}</w:pPr><w:rPr>{_size(12)}</w:rPr>"
    f"<w:tblPr><w:tblBorders>{_GRID}</w:tblBorders><w:tblCellMar>{_PADDING}</w:tblCellMar></w:tblPr></w:style>",
    _style("paragraph", "NoiDung", "Nội dung", paragraph=_TEXT, extra="<w:qFormat/>"),
    _style("paragraph", "Khoan", "Khoản", based_on="NoiDung", extra="<w:qFormat/>"),
    _style("paragraph", "Diem", "Điểm", based_on="NoiDung", extra="<w:qFormat/>"),
    _heading(1, f'<w:spacing w:before="240" w:after="120"/>{_CENTER}'),
    _heading(2, f'<w:spacing w:before="240" w:after="120"/>{_CENTER}'),
    _heading(3, f'<w:spacing w:before="120" w:after="120"/>{_TEXT}'),
    _style(
        "paragraph",
        "Title",
        "Title",
        extra=_NEXT,
        paragraph=f'<w:spacing w:after="0"/>{_CENTER}',
        run=f"{_BOLD}<w:caps/>{_size(15)}",
    ),  # fmt: skip
    _style(
        "paragraph", "Subtitle", "Subtitle", extra=_NEXT, paragraph=f'<w:spacing w:after="280"/>{_CENTER}', run=_BOLD
    ),
    _style(
        "paragraph", "CanCu", "Căn cứ", based_on="NoiDung", paragraph='<w:spacing w:after="60"/>', run="<w:i/><w:iCs/>"
    ),
    _style(
        "paragraph",
        "BanHanh",
        "Câu ban hành",
        based_on="NoiDung",
        paragraph='<w:spacing w:before="180" w:after="180"/>',
    ),
    _style("paragraph", "Letterhead", "Tiêu đề văn bản", paragraph=_NO_SPACE + _CENTER),
    _style("paragraph", "Recipients", "Nơi nhận", paragraph=_NO_SPACE, run=_size(11)),
    _style("paragraph", "Signature", "Chữ ký", paragraph=_NO_SPACE + _CENTER, run=_BOLD),
    _style("paragraph", "Header", "header", paragraph=_NO_SPACE + _CENTER, run=_size(13)),
    _style("paragraph", "CommentText", "annotation text", paragraph=_NO_SPACE, run=_size(10)),
    _style("character", "CommentReference", "annotation reference", based_on="DefaultParagraphFont", run=_size(8)),
]
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">'
    f'<w:docDefaults><w:rPrDefault><w:rPr>{_FONT}{_size(14)}<w:lang w:val="vi-VN" w:eastAsia="vi-VN"/></w:rPr>'
    '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="300" w:lineRule="auto"/></w:pPr>'
    f"</w:pPrDefault></w:docDefaults>{''.join(_STYLES)}</w:styles>"
).encode()


# A version's text as Word paragraphs -----------------------------------------------------------------------

# The passages a comment or a suggestion can be anchored to: a bookmark spans each (see regulations/tracked.py).
PASSAGE_KINDS = ("article", "clause", "point")
STYLE_OF = {"part": "Heading1", "chapter": "Heading1", "section": "Heading2", "article": "Heading3",
            "clause": "Khoan", "point": "Diem"}  # fmt: skip
DIVISION_WORDS = {"part": "Phần", "chapter": "Chương", "section": "Mục"}


@dataclass
class Block:
    """One paragraph of a version as Word writes it, with the provision it writes (None: the document's own)."""

    style: str
    runs: list[Run]
    key: object = None
    opens: list = field(default_factory=list)  # passages (keys) whose bookmark starts here
    closes: list = field(default_factory=list)  # and ends here

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass
class Unit:
    """An article with everything under it, or a part, chapter or section heading: what a text is compared by."""

    key: object
    kind: str
    label: str
    heading: str
    content: str  # its text as the comparison table reads it: without its label
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def front_blocks(version) -> list[Block]:
    """What stands between the letterhead and the text: the kind of document, its subject, bases, enacting sentence."""
    blocks = [Block("Title", [Run(version.kind_line or "Quy chế")])]
    if version.title:
        blocks.append(Block("Subtitle", [Run(version.title)]))
    blocks += [Block("CanCu", [Run(f"- {basis.rstrip(' ;,.')};")]) for basis in version.legal_bases]
    if version.enacting:
        blocks.append(Block("BanHanh", [Run(version.enacting)]))
    return blocks


def node_blocks(node) -> list[Block]:
    """The paragraphs of one provision, without its children (a tree node of regulations.selectors)."""
    if node.kind in DIVISION_WORDS:
        runs = [Run(f"{DIVISION_WORDS[node.kind]} {node.label}".strip())]
        if node.heading:
            runs.append(Run("\n" + node.heading, caps=node.kind != "section"))
        blocks = [Block(STYLE_OF[node.kind], runs, node.key)]
        if node.text:
            blocks.append(Block("NoiDung", [Run(node.text)], node.key))
        return blocks
    if node.kind == "article":
        head = f"Điều {node.label}."
        if node.heading:
            head += f" {node.heading}{':' if node.text else ''}"
        runs = [Run(head, bold=True)] + ([Run(f" {node.text}", bold=False)] if node.text else [])
        return [Block("Heading3", runs, node.key)]
    prefix = {"clause": f"{node.label}. ", "point": f"{node.label}) ", "bullet": f"{node.label} "}.get(node.kind, "")
    return [Block(STYLE_OF.get(node.kind, "NoiDung"), [Run(prefix + node.text)], node.key)]


def text_units(tree) -> list[Unit]:
    """The version's text as units: each division heading on its own, each article with all it holds."""
    units: list[Unit] = []

    def subtree(node) -> list[Block]:
        blocks = node_blocks(node)
        for child in node.nodes:
            blocks += subtree(child)
        if node.kind in PASSAGE_KINDS:
            blocks[0].opens.append(node.key)
            blocks[-1].closes.append(node.key)
        return blocks

    def walk(nodes):
        for node in nodes:
            if node.kind in DIVISION_WORDS:
                units.append(Unit(node.key, node.kind, node.label, node.heading, node.text, node_blocks(node)))
                walk(node.nodes)
            else:
                units.append(Unit(node.key, node.kind, node.label, node.heading, body_text(node), subtree(node)))

    walk(tree.roots)
    return units


def bookmark_name(key) -> str:
    """A hidden bookmark (Word hides names that start with "_"), at most Word's 40 characters."""
    return f"_QC{key.hex}"


def write_block(document: WordDocument, block: Block, bookmarks: dict) -> etree._Element:
    p = document.paragraph(block.runs, style=block.style)
    open_bookmarks(document, p, block, bookmarks)
    return p


def open_bookmarks(document, p, block: Block, bookmarks: dict) -> None:
    for key in block.opens:
        bookmarks[key] = document.bookmark_start(p, bookmark_name(key))


def close_bookmarks(document, p, block: Block, bookmarks: dict) -> None:
    for key in reversed(block.closes):
        document.bookmark_end(p, bookmarks.pop(key))


def version_heading(document: WordDocument, version, *, place_and_date: str, preview: bool = False) -> None:
    """The letterhead of a version, as the PDF draws it: a draft without its number, marked."""
    mark = "DỰ THẢO" if version.is_draft else "BẢN XEM TRƯỚC" if preview else ""
    document.letterhead(
        superior=version.superior_body, issuing=version.issuing_body, mark=mark,
        number="Số " if version.is_draft else f"Số {version.number}", place_and_date=place_and_date,
    )  # fmt: skip


def version_closing(document: WordDocument, version) -> None:
    # A paragraph between the text and the closing table: Word keeps one before a table, and the
    # last paragraph of a text deleted as a tracked change has one to join.
    document.paragraph(style="NoiDung")
    document.closing(
        recipients=version.recipients, authority=version.signer_authority, position=version.signer_position,
        name=version.signer_name,
    )  # fmt: skip


def render_version_docx(version, *, preview: bool = False) -> bytes:
    """The version as a Word document in the party's format, as `pdf.render_version` prints it."""
    tree = provision_tree(version)
    document = WordDocument(title=document_title(version))
    version_heading(document, version, place_and_date=place_and_date(version), preview=preview)
    for block in front_blocks(version):
        document.paragraph(block.runs, style=block.style)
    bookmarks: dict = {}
    for unit in text_units(tree):
        for block in unit.blocks:
            p = write_block(document, block, bookmarks)
            close_bookmarks(document, p, block, bookmarks)
    version_closing(document, version)
    return document.save()


def render_consolidated_docx(text, *, day) -> bytes:
    """The consolidated text (`consolidation.consolidated`) on `day` in Word, as `pdf.render_consolidated` prints
    it: the documents it is made of, then the text in force with, under each changed article, the note naming the
    document that changed it (an italic paragraph: the PDF's footnote), and each removed article where it stood."""
    version = text.version
    document = WordDocument(title=f"Văn bản hợp nhất {document_title(version)}")
    document.letterhead(superior=version.superior_body, issuing=version.issuing_body, number="", place_and_date="")
    front = front_blocks(version)
    for block in front[: 2 if version.title else 1]:
        document.paragraph(block.runs, style=block.style)
    document.paragraph([Run(f"(Văn bản hợp nhất, có hiệu lực vào ngày {day:%d/%m/%Y})", italic=True)], align="center")
    original, *amending = text.chain
    since = f"{document_name(original)}, có hiệu lực kể từ ngày {original.in_force_from:%d/%m/%Y}"
    sources = [since + (", được sửa đổi, bổ sung bởi:" if amending else ".")]
    sources += [
        f"{number}. {document_name(source)}, có hiệu lực kể từ ngày {source.in_force_from:%d/%m/%Y}"
        + ("." if number == len(amending) else ";")
        for number, source in enumerate(amending, start=1)
    ]
    sources.append("Văn bản hợp nhất giúp tra cứu, không thay thế các văn bản trên.")
    for line in sources:
        document.paragraph([Run(line, italic=True)], style="NoiDung")
    for block in front[2 if version.title else 1 :]:
        document.paragraph(block.runs, style=block.style)
    for item in text.items:
        if item.is_removed:
            head = f"Điều {item.label}." + (f" {item.heading}" if item.heading else "")
            document.paragraph([Run(head, bold=True), Run(" (được bãi bỏ)", bold=False)], style="Heading3")
        else:
            for block in node_blocks(item):
                document.paragraph(block.runs, style=block.style)
        if item.note:
            document.paragraph([Run(str(item.note), italic=True)], style="NoiDung")
    return document.save()


def document_title(version) -> str:
    return " ".join(part for part in (version.kind_line or "Quy chế", version.number, version.title) if part)


def docx_response(content: bytes, filename: str) -> FileResponse:
    """A Word document made for this request, downloaded under its document's name."""
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=DOCX_CONTENT_TYPE)


def docx_filename(pdf_filename: str) -> str:
    """ "25-QC-TU.docx" beside "25-QC-TU.pdf"."""
    return pdf_filename.removesuffix(".pdf") + ".docx"
