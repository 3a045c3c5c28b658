"""Reading the text out of a Word (.docx) file."""

from docx import Document


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
