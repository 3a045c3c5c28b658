import copy
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from weasyprint.html import UA

from regulations import pdf
from regulations.models import Provision
from tests.pdf import poppler
from tests.pdf.poppler import MM
from tests.regulations import texts

A4 = (595.28, 841.89)
# The text block: 35 mm from the left edge, 15 mm from the right, 25 mm from the top and the bottom.
LEFT, RIGHT, TOP, BOTTOM = 35 * MM, A4[0] - 15 * MM, 25 * MM, A4[1] - 25 * MM
SLACK = 1.0  # points: glyph boxes round, and justified lines end exactly on the margin

LONG_SENTENCES = [
    # Điều 6, point c, clause 1.
    "Là đầu mối giúp Thường trực Đảng ủy xã xử lý công việc hằng ngày; tổ chức công tác thông tin phục vụ sự "
    "lãnh đạo, chỉ đạo của Thường trực, Ban Thường vụ và Đảng ủy; cung cấp thông tin cho các cấp ủy cơ sở, "
    "cơ quan, đơn vị theo quy định.",
    # Điều 11, clause 2.
    "Tại kỳ họp Hội đồng nhân dân và Ủy ban nhân dân xã bàn chủ trương, quyết định, chính sách, chế độ... có "
    "liên quan đến lĩnh vực chuyên môn của cơ quan nào, thì đại diện lãnh đạo cơ quan đó được mời tham dự, "
    "tham gia ý kiến.",
    # A legal basis, in italics.
    "Căn cứ Quy định số 298-QĐ/TW, ngày 09/6/2025 của Ban Bí thư về chức năng, nhiệm vụ, tổ chức bộ máy của "
    "Đảng ủy cấp trên trực tiếp của tổ chức cơ sở đảng ở xã, phường, đặc khu;",
    # The enacting sentence.
    "Ban Thường vụ Đảng ủy xã quy định về chức năng, nhiệm vụ, quyền hạn, tổ chức bộ máy của Văn phòng Đảng ủy "
    "xã như sau:",
]


def is_page_number(word) -> bool:
    return word.y_max < TOP and word.text.isdigit()


@pytest.fixture
def corpus_pdf(corpus_version):
    return pdf.render_version(corpus_version)


def test_it_writes_the_letterhead_and_every_article_in_order(corpus_pdf):
    text = poppler.text(corpus_pdf)
    for line in ("ĐẢNG BỘ TỈNH KHÁNH HÒA", "ĐẢNG ỦY XÃ CÔNG HẢI", "Số 01-QĐ/ĐU", "ĐẢNG CỘNG SẢN VIỆT NAM",
                 "Công Hải, ngày 10 tháng 7 năm 2025", "QUY ĐỊNH",
                 "về chức năng, nhiệm vụ, tổ chức bộ máy của Văn phòng Đảng ủy xã",
                 "Chương II CHỨC NĂNG, NHIỆM VỤ, TỔ CHỨC BỘ MÁY", "Chương V ĐIỀU KHOẢN THI HÀNH",
                 "T/M BAN THƯỜNG VỤ BÍ THƯ", "Vũ Thị Thùy Trang", "Nơi nhận:", "- Lưu VPĐU."):  # fmt: skip
        assert line in text
    assert re.findall(r"Điều (\d+)\.", text) == [str(n) for n in range(1, 14)]


def test_it_keeps_the_vietnamese_text_intact(corpus_pdf):
    text = poppler.text(corpus_pdf)
    for sentence in LONG_SENTENCES:
        assert sentence in text


def test_it_embeds_a_times_compatible_serif(corpus_pdf):
    fonts = poppler.fonts(corpus_pdf)
    assert fonts
    for font in fonts:
        assert font["emb"] == "yes", font
        assert re.search(r"Liberation-?Serif|Times|Tinos", font["name"]), font
    styles = [re.sub(r"^[A-Z]{6}\+", "", font["name"]) for font in fonts]  # without the subset tag
    assert any("Bold" in style for style in styles) and any("Italic" in style for style in styles)


def test_it_is_a4_with_the_text_inside_the_margins(corpus_pdf):
    width, height = poppler.page_size(corpus_pdf)
    assert (round(width), round(height)) == (595, 842)
    body = [word for word in poppler.words(corpus_pdf) if not is_page_number(word)]
    assert len({word.page for word in body}) >= 6
    assert min(word.x_min for word in body) >= LEFT - SLACK
    assert max(word.x_max for word in body) <= RIGHT + SLACK
    assert min(word.y_min for word in body) >= TOP - SLACK
    assert max(word.y_max for word in body) <= BOTTOM + SLACK


def test_it_numbers_pages_from_the_second_at_the_top_centre(corpus_pdf):
    numbers = [word for word in poppler.words(corpus_pdf) if word.y_max < TOP]
    assert all(word.text.isdigit() for word in numbers)
    # Page 1 has nothing above the text block; every later page has its number there.
    assert {word.page for word in numbers} == set(range(2, int(poppler.info(corpus_pdf)["Pages"]) + 1))
    second = next(word for word in numbers if word.page == 2)
    assert second.text == "2"
    assert abs((second.x_min + second.x_max) / 2 - (LEFT + RIGHT) / 2) < 3


def test_it_marks_a_draft_and_leaves_its_number_blank(import_text):
    draft = import_text(texts.regulation_text(list(texts.ARTICLES.values()), number=""))
    assert draft.is_draft
    document = pdf.render_version(draft)
    first_page = poppler.text(document, page=1)
    assert "DỰ THẢO" in first_page
    assert re.search(r"Số \S*\d", first_page) is None
    assert f"Cần Thơ, ngày tháng năm {timezone.localdate():%Y}" in first_page
    words = [word for word in poppler.words(document) if word.page == 1]
    mark = next(word for word in words if word.text == "DỰ")
    motto = next(word for word in words if word.text == "ĐẢNG" and word.x_min > A4[0] / 2)
    assert mark.x_min > A4[0] / 2 and mark.y_max <= motto.y_min


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2023, 5, 9), "ngày 09 tháng 5 năm 2023"),  # the day below 10 with its zero, May without
        (datetime.date(2018, 4, 3), "ngày 03 tháng 4 năm 2018"),  # as 36-HD/VPTW's own heading
        (datetime.date(2026, 2, 14), "ngày 14 tháng 02 năm 2026"),  # January and February with a zero
        (datetime.date(2025, 1, 1), "ngày 01 tháng 01 năm 2025"),
        (datetime.date(2025, 12, 25), "ngày 25 tháng 12 năm 2025"),
    ],
)
def test_it_writes_the_date_as_the_party_guide_does(corpus_version, day, written):
    corpus_version.issued, corpus_version.place = day, "Cần Thơ"
    assert pdf.place_and_date(corpus_version) == f"Cần Thơ, {written}"
    corpus_version.place = ""
    assert pdf.place_and_date(corpus_version) == written[0].upper() + written[1:]


def test_the_page_and_the_pdf_write_the_date_alike(login, cast, corpus_version):
    corpus_version.issued = datetime.date(2023, 3, 7)
    corpus_version.save(update_fields=["issued"])
    page = login(cast.office_a).get(reverse("regulations:version", args=[corpus_version.pk])).content.decode()
    assert "Công Hải, ngày 07 tháng 3 năm 2023" in page
    assert "Công Hải, ngày 07 tháng 3 năm 2023" in poppler.text(pdf.render_version(corpus_version))


def test_the_issuing_body_never_ends_on_a_word_alone(corpus_version):
    """A long name wraps in its half of the page; its last line keeps at least two words."""
    issued = copy.copy(corpus_version)
    issued.superior_body = "ĐẢNG BỘ THÀNH PHỐ CẦN THƠ"
    issued.issuing_body = "ĐẢNG ỦY KHỐI CƠ QUAN DÂN CHÍNH ĐẢNG THÀNH PHỐ CẦN THƠ"  # the demo's
    words = [w for w in poppler.words(pdf.render_version(issued)) if w.page == 1 and w.x_max < (LEFT + RIGHT) / 2]
    star = next(w for w in words if w.text == "*")
    lines = {}
    for word in words:
        if word.y_max < star.y_min:
            lines.setdefault(round(word.y_min), []).append(word.text)
    lines = [lines[y] for y in sorted(lines)]
    assert lines[0] == ["ĐẢNG", "BỘ", "THÀNH", "PHỐ", "CẦN", "THƠ"]
    assert len(lines) >= 2 and lines[-1][-2:] == ["CẦN", "THƠ"], lines  # the name wraps, not before "THƠ"


def test_it_reads_the_whole_text_in_one_query(import_text, django_assert_num_queries):
    version = import_text(texts.regulation_text(texts.numbered_articles(60)))
    with django_assert_num_queries(1):
        document = pdf.render_version(version)
    assert "Điều 60. Nhiệm vụ số 60 của Ban Thường vụ" in poppler.text(document)


def test_it_prints_markup_in_the_text_as_text_and_fetches_nothing_it_names(import_text, monkeypatch):
    markup = '<img src="http://127.0.0.1:9/x.png"> và <img src="file:///etc/passwd">'
    scope = ("Phạm vi điều chỉnh", [f"Quy chế này quy định {markup} về chế độ làm việc."])
    version = import_text(texts.regulation_text([scope, texts.ARTICLES["implementation"]]))
    assert Provision.objects.filter(version=version, text__contains='<img src="file:///etc/passwd">').exists()
    asked = []
    fetch = pdf.StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesOnly, "fetch", spy)
    pdf._fonts_and_stylesheet.cache_clear()  # the stylesheet is read once per process: read it now
    document = pdf.render_version(version)
    assert asked == [f"{pdf.STATIC_BASE}pdf/document.css"]
    assert poppler.squeezed(markup) in poppler.squeezed(poppler.text(document))


def test_it_leaves_out_of_weasyprints_default_stylesheet_only_its_rules_for_every_elements_pseudo_elements():
    """What `pdf.Printed` leaves out are these six rules of WeasyPrint's own stylesheet, and WeasyPrint asks it for
    its default stylesheet: an upgrade that changed either would print with the twelve thousand styles again."""
    left_out = [rule.split(" {")[0] for rule in pdf.UNUSED_DEFAULT_RULES.findall(UA)]
    assert left_out == ["::marker", "::footnote-call", "::footnote-marker", "::note-call", "::note-marker",
                        "::note-callback"]  # fmt: skip
    asked = []

    class Asked(pdf.Printed):
        def _ua_stylesheets(self, forms=False):
            asked.append(forms)
            return super()._ua_stylesheets(forms)

    Asked(string="<p>Điều 1.</p>").render()
    assert asked


def test_it_names_the_file_in_ascii(corpus_version, import_text):
    assert pdf.version_pdf_filename(corpus_version) == "01-QD-DU.pdf"
    corpus_version.number = "25 - QC/TU"
    assert pdf.version_pdf_filename(corpus_version) == "25-QC-TU.pdf"
    draft = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=""))
    assert pdf.version_pdf_filename(draft) == f"du-thao-{draft.pk}.pdf"
