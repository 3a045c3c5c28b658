"""Importing from Word keeps what Word numbers by itself, tables inside articles, the signature and recipients."""

import io

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from regulations import parsing
from tests.regulations import texts

NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
    "</w:abstractNum>"
)


def numbered(document, text: str, number_id: str, level: int):
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{number_id}"/></w:numPr>')
    )


def word_file() -> io.BytesIO:
    """A regulation typed in Word: clauses and points numbered by Word's lists (each article's list starts
    again at 1), a table in an article, and the recipients and signature side by side in a table."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'  # Word's "Restart at 1"
    for number_id, override in (("91", ""), ("92", restart)):
        numbering.append(
            parse_xml(f'<w:num {nsdecls("w")} w:numId="{number_id}"><w:abstractNumId w:val="90"/>{override}</w:num>')
        )
    heading = texts.regulation_text([], chapters=False).split("Nơi nhận:")[0]
    for line in heading.strip().split("\n"):
        document.add_paragraph(line)
    document.add_paragraph("Điều 1. Chế độ họp")
    numbered(document, "Ban Chấp hành họp thường lệ ba tháng một lần.", "91", 0)
    numbered(document, "Tài liệu được gửi trước:", "91", 0)
    numbered(document, "cho ủy viên Ban Chấp hành;", "91", 1)
    numbered(document, "cho các cơ quan tham mưu.", "91", 1)
    numbered(document, "bản giấy và bản điện tử", "91", 2)
    document.add_paragraph("Điều 2. Lịch họp")
    numbered(document, "Lịch họp năm như sau:", "92", 0)
    table = document.add_table(rows=3, cols=2)
    for row, cells in zip(
        table.rows, [("Kỳ họp", "Thời gian"), ("Quý I", "Tháng 3"), ("Quý II", "Tháng 6")], strict=True
    ):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    closing = document.add_table(rows=1, cols=2)
    closing.rows[0].cells[0].text = "Nơi nhận:\n- Ban Thường vụ Thành ủy (để báo cáo),\n- Lưu Văn phòng."
    closing.rows[0].cells[1].text = "T/M BAN CHẤP HÀNH\nBÍ THƯ\n\nNguyễn Văn Long"
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def test_word_numbering_tables_and_the_closing_are_read():
    text = parsing.read_docx(word_file())
    assert "1. Ban Chấp hành họp thường lệ ba tháng một lần." in text
    assert "b) cho các cơ quan tham mưu." in text and "- bản giấy và bản điện tử" in text
    document = parsing.parse_regulation(text)
    first, second = [node for node in document.iter_provisions() if node.kind == "article"]
    assert [(c.kind, c.label) for c in first.children] == [("clause", "1"), ("clause", "2")]
    assert [(p.kind, p.label) for p in first.children[1].children] == [("point", "a"), ("point", "b")]
    assert [c.label for c in second.children] == ["1"]  # its own list, numbered from 1 again
    rows = [node.text for node in document.iter_provisions() if node.text.startswith("|")]
    assert rows == ["| Kỳ họp | Thời gian |", "| Quý I | Tháng 3 |", "| Quý II | Tháng 6 |"]
    assert document.signer_name == "Nguyễn Văn Long" and document.signer_authority == "T/M BAN CHẤP HÀNH"
    assert document.recipients == ["Ban Thường vụ Thành ủy (để báo cáo)", "Lưu Văn phòng"]
