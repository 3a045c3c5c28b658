import datetime

import pytest
from django.utils import timezone

from reviews import pdf, services
from tests.amendments import MEETINGS_TEXT, TERMS_BODY, act, draft_article, insert_terms_and_remove_meetings, refresh
from tests.pdf import poppler
from tests.pdf.poppler import MM


def test_it_prints_the_comparison_table_landscape_with_the_change_and_its_reason(at_consultation):
    document = pdf.render_comparison(at_consultation)
    width, height = poppler.page_size(document)
    assert width > height
    text = poppler.text(document, drawn=True)
    assert "BẢNG ĐỐI CHIẾU" in text
    assert at_consultation.regulation.title in text
    assert "Sửa đổi 1 điều; bổ sung 0 điều; bãi bỏ 0 điều" in text
    assert "Điều 4. Chế độ họp" in text
    assert "ít nhất ba ngày làm việc" in text  # the current text, "ba" struck through
    assert "ít nhất năm ngày làm việc" in text  # the proposed text, "năm" marked as inserted
    assert "Kéo dài thời gian gửi tài liệu để ủy viên nghiên cứu kỹ." in text
    left, right = 20 * MM, width - 15 * MM  # the landscape margins
    assert all(left - 1 <= word.x_min and word.x_max <= right + 1 for word in poppler.words(document))
    assert "Điều 1." not in text  # unchanged articles are left out unless asked for
    assert "Điều 1." in poppler.text(pdf.render_comparison(at_consultation, changed_only=False), drawn=True)


def test_it_prints_added_and_removed_articles_in_full_and_renumbered_ones_on_one_line(people, amendment):
    insert_terms_and_remove_meetings(amendment, people.office_a)
    text = poppler.text(pdf.render_comparison(refresh(amendment)), drawn=True)
    assert "bổ sung 1 điều; bãi bỏ 1 điều; đánh số lại 2 điều" in text
    assert "Điều 2. " + " ".join(f"Giải thích từ ngữ {TERMS_BODY}".split()) in text
    assert "Điều 4. " + " ".join(MEETINGS_TEXT.split()) in text
    assert "Điều 2 thành Điều 3 (chỉ đánh số lại)" in text
    assert "Điều 3 thành Điều 4 (chỉ đánh số lại)" in text
    assert "Bảo đảm nguyên tắc tập trung dân chủ" not in text  # Điều 2, only renumbered: its text is left out


def test_it_marks_deletions_and_insertions_and_escapes_the_rest():
    row = type(
        "Row", (), {"change": "modified", "ops": [("equal", "Họp "), ("delete", "<b>ba</b>"), ("insert", "năm")]}
    )
    current, proposed = pdf._comparison_cells(row)
    assert current == "Họp <del>&lt;b&gt;ba&lt;/b&gt;</del>"
    assert proposed == "Họp <ins>năm</ins>"


@pytest.fixture
def at_synthesis(people, at_consultation):
    """Two opinions of a member, one answered for A's đảng bộ cơ sở by its office, then synthesis."""
    amendment = at_consultation
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=3),
        users=[people.member_a], organizations=[people.a_child],
    )  # fmt: skip
    article = draft_article(amendment, "4").key
    accepted = services.comment_add(
        amendment=refresh(amendment), user=people.member_a, article_key=article,
        text="Đề nghị ghi rõ tài liệu được gửi qua hệ thống thông tin điều hành.",
    )  # fmt: skip
    services.comment_add(
        amendment=refresh(amendment), user=people.member_a, article_key=article,
        text="Nên quy định Ban Chấp hành họp hai tháng một lần.",
    )  # fmt: skip
    explained = services.comment_add(
        amendment=refresh(amendment), user=people.office_child,
        text="Đảng bộ Sở thống nhất với toàn văn dự thảo, đề nghị bổ sung thời hạn rà soát quy chế.",
    )  # fmt: skip
    services.request_answer(amendment=refresh(amendment), user=people.member_a)
    services.request_answer(amendment=refresh(amendment), user=people.office_child)
    act(amendment, people.office_a, "submit")
    services.disposition_set(
        comment=accepted, user=people.office_a, kind="accepted",
        explanation="Đã bổ sung cách gửi tài liệu vào khoản 2 Điều 4.",
    )  # fmt: skip
    services.disposition_set(
        comment=explained, user=people.office_a, kind="explained",
        explanation="Chu kỳ rà soát đã được quy định tại Điều 5 của dự thảo.",
    )  # fmt: skip
    return refresh(amendment)


def test_it_prints_each_opinion_with_what_was_done_with_it(at_synthesis, people):
    document = pdf.render_synthesis(at_synthesis)
    width, height = poppler.page_size(document)
    assert width > height
    text = poppler.text(document, drawn=True)
    assert "BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý" in text
    assert "Tổng số 3 ý kiến: tiếp thu 1; giải trình 1; chưa tiếp thu, giải trình 1." in text
    for comment in at_synthesis.comments.all():
        assert comment.text in text
        assert str(comment.author) in text
    assert "Đảng bộ Sở Tư pháp" in text  # answered for the organization
    assert "Tiếp thu: Đã bổ sung cách gửi tài liệu vào khoản 2 Điều 4." in text
    assert "Giải trình: Chu kỳ rà soát đã được quy định tại Điều 5 của dự thảo." in text
    assert "Nên quy định Ban Chấp hành họp hai tháng một lần. Chưa tiếp thu, giải trình" in text
    assert text.index("Toàn văn dự thảo") < text.index("Điều 4. Chế độ họp")


def test_it_names_the_papers_in_ascii(amendment):
    assert pdf.comparison_pdf_filename(amendment) == f"bang-doi-chieu-ho-so-{amendment.pk}.pdf"
    assert pdf.synthesis_pdf_filename(amendment) == f"tong-hop-y-kien-ho-so-{amendment.pk}.pdf"
