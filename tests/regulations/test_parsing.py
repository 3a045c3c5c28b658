"""Reading regulation texts: the shared corpus of real documents, and the quirks they show."""

import datetime
import unicodedata

import docx
import pytest

from regulations.parsing import ParseError, parse_regulation, read_docx, render_text
from tests.regulations.texts import CORPUS

CONG_HAI = "01-QD-DU-2025_QuyDinh-VanPhong-DangUy-xa-CongHai.txt"
GOVERNMENT = "191-2026-ND-CP_QCLV-ChinhPhu.txt"
AMENDMENT = "241-2026-ND-CP_SuaDoi-ND165-2024_clean.txt"
AMENDMENT_OCR = "241-2026-ND-CP_SuaDoi-ND165-2024_ocr.txt"


def corpus(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cong_hai():
    return parse_regulation(corpus(CONG_HAI))


@pytest.fixture(scope="module")
def government():
    return parse_regulation(corpus(GOVERNMENT))


@pytest.fixture(scope="module")
def amendment():
    return parse_regulation(corpus(AMENDMENT))


def shape(nodes) -> list:
    return [(node.kind, node.label, node.heading, node.text, shape(node.children)) for node in nodes]


def labels(doc, kind: str) -> list[str]:
    return [node.label for node in doc.iter_provisions() if node.kind == kind]


def article(doc, label: str):
    return next(node for node in doc.iter_provisions() if node.kind == "article" and node.label == label)


def body(lines: str) -> str:
    """A minimal regulation around the given body lines."""
    heading = "ĐẢNG ỦY XÃ THỬ NGHIỆM\nSố: 02-QC/ĐU\nThử Nghiệm, ngày 1 tháng 8 năm 2025\n\nQUY CHẾ LÀM VIỆC\n-----\n"
    return heading + lines


# Quy định 01-QĐ/ĐU of Đảng ủy xã Công Hải -------------------------------------------------------


def test_it_reads_the_letterhead(cong_hai):
    assert cong_hai.superior_body == "ĐẢNG BỘ TỈNH KHÁNH HÒA"
    assert cong_hai.issuing_body == "ĐẢNG ỦY XÃ CÔNG HẢI"
    assert cong_hai.number == "01-QĐ/ĐU"
    assert cong_hai.place == "Công Hải"
    assert cong_hai.issued == datetime.date(2025, 7, 10)
    assert cong_hai.kind_line == "QUY ĐỊNH"
    assert cong_hai.title == "về chức năng, nhiệm vụ, tổ chức bộ máy của Văn phòng Đảng ủy xã"


def test_it_reads_the_legal_bases_and_enacting_sentence(cong_hai):
    assert len(cong_hai.legal_bases) == 6
    assert cong_hai.legal_bases[0] == "Căn cứ Điều lệ Đảng Cộng sản Việt Nam"
    # The fifth basis ends with "," in the source.
    assert cong_hai.legal_bases[4].endswith("khóa I, nhiệm kỳ 2025 - 2030")
    assert all(basis.startswith("Căn cứ") and basis[-1] not in ";,-" for basis in cong_hai.legal_bases)
    assert cong_hai.enacting.startswith("Ban Thường vụ Đảng ủy xã quy định")
    assert cong_hai.enacting.endswith("như sau:")


def test_it_counts_the_structure(cong_hai):
    # By hand: clauses 3+5+2 (Điều 2-4), 5 (Điều 6), 2 each in Điều 9-12; points 9+3+2+3 in Điều 6.
    assert cong_hai.counts() == {"chapters": 4, "articles": 13, "clauses": 23, "points": 17}
    assert labels(cong_hai, "article") == [str(n) for n in range(1, 14)]


def test_it_keeps_chapter_labels_as_written(cong_hai):
    assert labels(cong_hai, "chapter") == ["I", "II", "III", "V"]
    assert [node.heading for node in cong_hai.provisions] == [
        "QUY ĐỊNH CHUNG",
        "CHỨC NĂNG, NHIỆM VỤ, TỔ CHỨC BỘ MÁY",
        "MỐI QUAN HỆ CÔNG TÁC",
        "ĐIỀU KHOẢN THI HÀNH",
    ]
    [warning] = cong_hai.warnings
    assert warning.line == 105
    assert "Chương V" in warning.message


def test_it_splits_title_and_body_on_one_line(cong_hai):
    first = article(cong_hai, "1")
    assert first.heading == "Phạm vi và đối tượng áp dụng"
    assert first.text.startswith("Quy định này quy định chức năng")
    assert article(cong_hai, "7").heading == "Tổ chức bộ máy"
    assert article(cong_hai, "7").text == "Gồm Chánh Văn phòng, Phó Chánh Văn phòng và các chuyên viên."
    assert article(cong_hai, "2").heading == "Nguyên tắc tổ chức"
    assert article(cong_hai, "2").text == ""


def test_it_places_points_bullets_and_paragraphs(cong_hai):
    duties = article(cong_hai, "6")
    assert [clause.label for clause in duties.children] == ["1", "2", "3", "4", "5"]
    assert [point.label for point in duties.children[0].children] == ["a", "b", "c", "d", "đ", "e", "g", "h", "i"]
    assert [(node.kind, node.label) for node in article(cong_hai, "5").children] == [("bullet", "-"), ("bullet", "-")]

    chapter_two = cong_hai.provisions[1]
    assert chapter_two.children[0].kind == "paragraph"
    assert chapter_two.children[0].text.startswith("Ngoài những nội dung quy định tại Điều 3")
    assert [node.kind for node in article(cong_hai, "10").children] == ["paragraph", "clause", "clause"]
    assert [node.kind for node in article(cong_hai, "13").children] == ["paragraph"] * 4


def test_it_reads_the_signature_and_recipients(cong_hai):
    assert cong_hai.signer_authority == "T/M BAN THƯỜNG VỤ"
    assert cong_hai.signer_position == "BÍ THƯ"
    assert cong_hai.signer_name == "Vũ Thị Thùy Trang"
    assert len(cong_hai.recipients) == 8
    assert cong_hai.recipients[0] == "Ban Thường vụ Tỉnh ủy (để báo cáo)"
    assert cong_hai.recipients[-1] == "Lưu VPĐU"


def test_it_reads_decomposed_text_and_windows_line_ends_alike(cong_hai):
    text = unicodedata.normalize("NFD", corpus(CONG_HAI)).replace("\n", "\r\n")
    assert parse_regulation(text) == cong_hai


# Nghị định 191/2026/NĐ-CP with the Government's working regulation attached ----------------------


def test_it_takes_the_attached_regulation_as_the_body(government):
    assert government.kind_line == "NGHỊ ĐỊNH"
    assert government.number == "191/2026/NĐ-CP"
    assert government.issued == datetime.date(2026, 5, 29)
    assert government.counts() == {"chapters": 8, "articles": 28, "clauses": 72, "points": 31}
    assert labels(government, "chapter") == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert labels(government, "article") == [str(n) for n in range(1, 29)]
    assert government.attachment_heading.startswith("QUY CHẾ LÀM VIỆC CỦA CHÍNH PHỦ\n(Kèm theo Nghị định số 191")


def test_it_keeps_the_decree_articles_apart(government):
    assert [(node.kind, node.label) for node in government.issuing_provisions] == [
        ("article", "1"),
        ("article", "2"),
        ("article", "3"),
    ]
    assert government.issuing_provisions[0].text == "Ban hành kèm theo Nghị định này Quy chế làm việc của Chính phủ."
    attachment, trailer = government.warnings
    assert attachment.line == 57
    assert "kèm theo" in attachment.message
    assert trailer.line == 316
    assert "Tài liệu tham khảo" in trailer.message


def test_it_reads_one_line_chapter_titles_and_the_state_signature(government):
    assert government.provisions[0].heading == "QUY ĐỊNH CHUNG"
    assert government.signer_authority == "TM. CHÍNH PHỦ"
    assert government.signer_position == "THỦ TƯỚNG"
    assert government.signer_name == "Lê Minh Hưng"
    assert government.recipients[-1] == "Lưu: VT, TH (2)"


def test_it_keeps_a_continuation_paragraph_with_its_clause(government):
    clause = article(government, "5").children[0]
    assert [node.kind for node in clause.children] == ["paragraph"]
    assert clause.children[0].text.endswith("điểm h khoản 2 Điều này.")
    assert [point.label for point in article(government, "5").children[1].children] == list("abcdđeghiklmno")


# Nghị định 241/2026/NĐ-CP, an amending instrument ------------------------------------------------


def test_it_counts_the_amending_articles(amendment):
    assert amendment.counts() == {"chapters": 0, "articles": 28, "clauses": 62, "points": 27}
    assert [node.label for node in amendment.provisions] == [str(n) for n in range(1, 29)]
    assert {node.kind for node in amendment.provisions} == {"article"}


def test_it_keeps_quoted_articles_as_content(amendment):
    quoted = [node for node in amendment.iter_provisions() if node.text.startswith("“Điều")]
    assert [node.text.split(".")[0] for node in quoted] == [
        "“Điều 4",
        "“Điều 5",
        "“Điều 7",
        "“Điều 46",
        "“Điều 47",
        "“Điều 52a",
    ]
    assert {node.kind for node in quoted} == {"paragraph"}
    assert quoted[0] in article(amendment, "1").children
    assert quoted[-1] in article(amendment, "21").children


def test_it_keeps_quoted_clauses_and_points_under_the_amending_provision(amendment):
    first_clause = article(amendment, "4").children[0]
    assert first_clause.text == "Sửa đổi, bổ sung khoản 2 như sau:"
    assert [node.kind for node in first_clause.children] == ["paragraph"] * 6
    assert first_clause.children[0].text.startswith("“2. Sổ hiệu đường bộ")

    point = article(amendment, "7").children[0].children[0]
    assert (point.kind, point.label, point.text) == ("point", "a", "Sửa đổi, bổ sung điểm a như sau:")
    assert point.children[0].text.startswith("“a) Bản chính")


def test_it_reads_the_amendment_signature(amendment):
    assert amendment.signer_authority == "TM. CHÍNH PHỦ"
    assert amendment.signer_position == "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG"
    assert amendment.signer_name == ""
    assert amendment.place == "Hà Nội"
    assert len(amendment.legal_bases) == 13


def test_it_warns_about_a_quote_closed_but_never_opened(amendment):
    warning = next(warning for warning in amendment.warnings if warning.line == 203)
    assert "trích dẫn" in warning.message
    clauses = [node.label for node in article(amendment, "10").children if node.kind == "clause"]
    assert clauses == ["1", "2", "3", "4", "5", "6", "7", "8"]


# The OCR copy of the same decree -----------------------------------------------------------------


def test_it_reads_the_ocr_copy_with_warnings():
    doc = parse_regulation(corpus(AMENDMENT_OCR))
    assert doc.number == "241/2026/NĐ-CP"
    assert doc.issued == datetime.date(2026, 6, 26)
    assert labels(doc, "article") == [str(n) for n in range(1, 29)]
    # The annex forms carry their own "Điều 1."; they are reported, not read as articles.
    assert all(node.line < 1449 for node in doc.iter_provisions())
    annex = next(warning for warning in doc.warnings if warning.line == 1449)
    assert "Phụ lục I" in annex.message
    assert any("Điều 27" in warning.message for warning in doc.warnings)
    assert all(warning.line > 0 and warning.message for warning in doc.warnings)


# Small texts for single quirks -----------------------------------------------------------------


def test_it_reads_a_flattened_party_letterhead():
    doc = parse_regulation(
        "ĐẢNG BỘ TỈNH KHÁNH HÒA\nĐẢNG ỦY XÃ CÔNG HẢI\n*\nSố: 01 -QC/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Công Hải, ngày 5 tháng 8 năm 2025\n\nQUY CHẾ LÀM VIỆC\n"
        "của Ban Chấp hành Đảng bộ xã Công Hải khóa I, nhiệm kỳ 2025 - 2030\n-----\n"
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;\n\nBan Chấp hành ban hành Quy chế làm việc như sau:\n\n"
        "Điều 1. Phạm vi điều chỉnh\n"
    )
    assert doc.number == "01-QC/ĐU"
    assert (doc.superior_body, doc.issuing_body) == ("ĐẢNG BỘ TỈNH KHÁNH HÒA", "ĐẢNG ỦY XÃ CÔNG HẢI")
    assert doc.issued == datetime.date(2025, 8, 5)
    assert doc.kind_line == "QUY CHẾ LÀM VIỆC"
    assert doc.title.startswith("của Ban Chấp hành")
    assert doc.legal_bases == ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam"]
    assert doc.warnings == []


def test_it_reads_one_line_chapter_titles():
    doc = parse_regulation(
        body("Chương I - NHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nChương II: TRÁCH NHIỆM\nĐiều 2. Ban Thường vụ\n")
    )
    assert [(node.label, node.heading) for node in doc.provisions] == [
        ("I", "NHỮNG QUY ĐỊNH CHUNG"),
        ("II", "TRÁCH NHIỆM"),
    ]


def test_it_reads_an_article_title_on_the_next_line():
    doc = parse_regulation(body("Điều 1.\nPhạm vi điều chỉnh\n1. Quy chế này quy định chế độ làm việc.\n"))
    [first] = doc.provisions
    assert (first.label, first.heading, first.text) == ("1", "Phạm vi điều chỉnh", "")
    assert [(node.kind, node.label) for node in first.children] == [("clause", "1")]


def test_it_reads_suffixed_article_numbers():
    doc = parse_regulation(body("Điều 52. Trạm dừng nghỉ\nĐiều 52a. Mở rộng trạm dừng nghỉ\nĐiều 53. Thi hành\n"))
    assert labels(doc, "article") == ["52", "52a", "53"]
    assert doc.warnings == []


def test_it_keeps_an_article_number_going_backwards_as_text():
    doc = parse_regulation(body("Điều 1. Phạm vi\nĐiều 2. Đối tượng\nĐiều 1. Nhắc lại\n"))
    assert labels(doc, "article") == ["1", "2"]
    assert doc.provisions[1].children[0].text == "Điều 1. Nhắc lại"
    assert any("không theo thứ tự" in warning.message for warning in doc.warnings)


def test_it_does_not_take_cross_references_for_structure():
    doc = parse_regulation(
        body("Điều 1. Phạm vi\nTheo quy định tại khoản 4, Điều 3 quy chế này\nĐiều 3 Quy chế này áp dụng chung.\n")
    )
    assert labels(doc, "article") == ["1"]
    assert [node.kind for node in doc.provisions[0].children] == ["paragraph", "paragraph"]


def test_it_hangs_points_under_a_sub_heading_and_nests_bullets():
    doc = parse_regulation(
        body(
            "Điều 5. Nhiệm vụ\nVề công tác tham mưu\na) Nghiên cứu, đề xuất;\n- chủ trì soạn thảo;\n"
            "+ dự thảo nghị quyết;\n- tổng hợp ý kiến.\nb) Theo dõi việc thực hiện.\nVề công tác phục vụ\n"
            "a) Tổ chức hội nghị.\n"
        )
    )
    [duties] = doc.provisions
    assert [(node.kind, node.text) for node in duties.children] == [
        ("paragraph", "Về công tác tham mưu"),
        ("paragraph", "Về công tác phục vụ"),
    ]
    first_point = duties.children[0].children[0]
    assert [(node.label, [child.label for child in node.children]) for node in first_point.children] == [
        ("-", ["+"]),
        ("-", []),
    ]
    assert doc.counts()["points"] == 3


def test_it_joins_hard_wrapped_lines():
    doc = parse_regulation(body("Điều 1. Phạm vi\n1. Quy chế này quy định chế độ làm việc\ncủa Ban Chấp hành.\n"))
    assert doc.provisions[0].children[0].text == "Quy chế này quy định chế độ làm việc của Ban Chấp hành."


def test_it_refuses_a_text_without_articles():
    with pytest.raises(ParseError) as error:
        parse_regulation("QUY CHẾ LÀM VIỆC\nMột đoạn văn không có điều nào.\n")
    assert "Dòng 2" in str(error.value)
    assert error.value.line == 2


def test_it_refuses_an_empty_text():
    with pytest.raises(ParseError, match="Dòng 1"):
        parse_regulation(" \n\n")


# Round trip and .docx ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [CONG_HAI, AMENDMENT, GOVERNMENT])
def test_it_renders_text_that_reads_back_the_same(name):
    doc = parse_regulation(corpus(name))
    again = parse_regulation(render_text(doc))
    assert shape(again.provisions) == shape(doc.provisions)
    assert shape(again.issuing_provisions) == shape(doc.issuing_provisions)
    for name in ("number", "issued", "place", "kind_line", "title", "legal_bases", "enacting", "recipients"):
        assert getattr(again, name) == getattr(doc, name)
    assert (again.signer_authority, again.signer_position, again.signer_name) == (
        doc.signer_authority,
        doc.signer_position,
        doc.signer_name,
    )


def test_it_reads_a_docx_with_a_letterhead_table(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ĐẢNG ỦY XÃ CÔNG HẢI"
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    table.cell(1, 0).text = "Số: 01-QĐ/ĐU"
    table.cell(1, 1).text = "Công Hải, ngày 10 tháng 7 năm 2025"
    for line in ("QUY ĐỊNH", "về Văn phòng Đảng ủy xã", "Điều 1. Phạm vi", "1. Quy định này áp dụng cho Văn phòng."):
        document.add_paragraph(line)
    path = tmp_path / "quy-dinh.docx"
    document.save(path)

    text = read_docx(path)
    assert text.splitlines()[:4] == [
        "ĐẢNG ỦY XÃ CÔNG HẢI",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số: 01-QĐ/ĐU",
        "Công Hải, ngày 10 tháng 7 năm 2025",
    ]
    with path.open("rb") as file:
        doc = parse_regulation(read_docx(file))
    assert (doc.number, doc.issued, doc.kind_line) == ("01-QĐ/ĐU", datetime.date(2025, 7, 10), "QUY ĐỊNH")
    assert doc.counts() == {"chapters": 0, "articles": 1, "clauses": 1, "points": 0}
