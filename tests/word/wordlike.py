"""Reading our .docx files as a reader's tools would, and editing them as Word does with Track Changes on."""

import datetime
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from regulations import tracked
from regulations.word import W_NS, w, word_date

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-writer-nogui) is not installed")


def to_pdf(data: bytes) -> bytes:
    """The document converted by LibreOffice, headless, with a profile of its own; fails if it cannot."""
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        (folder / "document.docx").write_bytes(data)
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), str(folder / "document.docx")],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (folder / "document.pdf").read_bytes()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def body(data: bytes):
    return etree.fromstring(parts(data)["word/document.xml"]).find(w("body"))


def texts(data: bytes, accept) -> list[str]:
    """The body's paragraphs (outside tables) with every change accepted or rejected, as Word's buttons do."""
    return tracked.paragraph_texts(tracked.body_paragraphs(body(data)), accept)


AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


class Edited:
    """A copy of ours being edited as Word edits it with Track Changes on, by `author`: insertions and
    deletions in w:ins / w:del with the author and date, comments in comments.xml, anchored by ranges."""

    def __init__(self, data: bytes, *, author: str, at: datetime.datetime = AT):
        self.parts = parts(data)
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.attributes = {w("author"): author, w("date"): word_date(at)}
        self.next_id = 9000

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def paragraph(self, containing: str):
        for p in tracked.body_paragraphs(self.document.find(w("body"))):
            if containing in tracked.paragraph_text(p, tracked.accept_all):
                return p
        raise AssertionError(f"No paragraph reads {containing!r}")

    def replace(self, containing: str, old: str, new: str) -> None:
        """Select `old` in the paragraph and type `new` over it."""
        p = self.paragraph(containing)
        for t in p.iter(w("t")):
            if old in (t.text or "") and tracked.revision_of(t, p) is None:
                break
        else:
            raise AssertionError(f"{old!r} is not in one run")
        run = t.getparent()
        before, _, after = t.text.partition(old)
        t.text = before
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        deleted = etree.Element(w("del"), {w("id"): self._id(), **self.attributes})
        etree.SubElement(etree.SubElement(deleted, w("r")), w("delText")).text = old
        inserted = etree.Element(w("ins"), {w("id"): self._id(), **self.attributes})
        etree.SubElement(etree.SubElement(inserted, w("r")), w("t")).text = new
        rest = etree.Element(w("r"))
        tail = etree.SubElement(rest, w("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        tail.text = after
        run.addnext(deleted)
        deleted.addnext(inserted)
        inserted.addnext(rest)

    def delete_paragraph(self, containing: str) -> None:
        """Select the whole paragraph, its mark included, and press Delete."""
        p = self.paragraph(containing)
        properties = p.find(w("pPr"))
        marks = properties.find(w("rPr"))
        if marks is None:
            marks = etree.SubElement(properties, w("rPr"))
        etree.SubElement(marks, w("del"), {w("id"): self._id(), **self.attributes})
        for run in list(p.iterchildren(w("r"))):
            for t in run.iter(w("t")):
                t.tag = w("delText")
            deleted = etree.Element(w("del"), {w("id"): self._id(), **self.attributes})
            run.addprevious(deleted)
            deleted.append(run)

    def insert_paragraph_after(self, containing: str, text: str) -> None:
        """Press Enter at the end of the paragraph and type a new one."""
        p = self.paragraph(containing)
        new = etree.Element(w("p"))
        properties = etree.SubElement(new, w("pPr"))
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        if style is not None:
            properties.append(etree.fromstring(etree.tostring(style)))
        etree.SubElement(etree.SubElement(properties, w("rPr")), w("ins"), {w("id"): self._id(), **self.attributes})
        inserted = etree.SubElement(new, w("ins"), {w("id"): self._id(), **self.attributes})
        etree.SubElement(etree.SubElement(inserted, w("r")), w("t")).text = text
        p.addnext(new)

    def comment(self, containing: str, text: str) -> None:
        """Select the paragraph's text and add a comment on it."""
        p = self.paragraph(containing)
        identifier = self._id()
        p.find(w("pPr")).addnext(etree.Element(w("commentRangeStart"), {w("id"): identifier}))
        etree.SubElement(p, w("commentRangeEnd"), {w("id"): identifier})
        reference = etree.SubElement(p, w("r"))
        etree.SubElement(reference, w("commentReference"), {w("id"): identifier})
        name = "word/comments.xml"
        if name in self.parts:
            comments = etree.fromstring(self.parts[name])
        else:
            comments = etree.Element(w("comments"), nsmap={"w": W_NS})
            self._add_comments_part()
        comment = etree.SubElement(comments, w("comment"), {w("id"): identifier, **self.attributes})
        etree.SubElement(etree.SubElement(etree.SubElement(comment, w("p")), w("r")), w("t")).text = text
        self.parts[name] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _add_comments_part(self) -> None:
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
        types = self.parts["[Content_Types].xml"].decode()
        self.parts["[Content_Types].xml"] = types.replace(
            "</Types>", f'<Override PartName="/word/comments.xml" ContentType="{kind}"/></Types>'
        ).encode()
        relationships = self.parts["word/_rels/document.xml.rels"].decode()
        relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
        added = f'<Relationship Id="rIdTheirs" Type="{relationship}" Target="comments.xml"/>'
        self.parts["word/_rels/document.xml.rels"] = relationships.replace(
            "</Relationships>", f"{added}</Relationships>"
        ).encode()

    def save(self) -> bytes:
        self.parts["word/document.xml"] = etree.tostring(self.document, xml_declaration=True, encoding="UTF-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.parts.items():
                archive.writestr(name, content)
        return buffer.getvalue()
