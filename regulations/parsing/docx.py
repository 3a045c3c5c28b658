"""Reading the text out of a Word (.docx) file."""

import zipfile

from docx import Document

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
    """The text of a .docx (path or file object): paragraphs and table cells, one per line.

    Raises as `open_docx` does.
    """
    document = open_docx(file)
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
