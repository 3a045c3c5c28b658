"""Versions and consultation copies in Word: what LibreOffice makes of them, what accepting or rejecting
their tracked changes gives, who may download them, and the command line."""

import io
import re
import unicodedata

import pytest
from django.core.management import call_command
from django.urls import reverse

from regulations import parsing, tracked, word
from regulations.selectors import provision_tree
from reviews import services
from reviews import word as consultation_word
from tests.amendments import draft_article, edit_meetings_article, insert_terms_and_remove_meetings, refresh
from tests.pdf import poppler
from tests.regulations import texts
from tests.word.wordlike import body, needs_soffice, parts, to_pdf
from tests.word.wordlike import texts as paragraph_texts


def written(version) -> list[str]:
    """What the body of a version's document reads, paragraph by paragraph, as we mean it to."""
    blocks = word.front_blocks(version) + [b for u in word.text_units(provision_tree(version)) for b in u.blocks]
    return ["", *(block.text for block in blocks), ""]  # the space under the letterhead, and above the signature


def squeezed(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def pdf_text_without_page_numbers(pdf: bytes) -> str:
    pages = int(poppler.info(pdf)["Pages"])
    found = []
    for number in range(1, pages + 1):
        page = poppler.text(pdf, page=number)
        found.append(page.removeprefix(f"{number} ") if number > 1 else page)
    return squeezed(" ".join(found))


def assert_reads_in_order(pdf: bytes, paragraphs: list[str]) -> None:
    text, at = pdf_text_without_page_numbers(pdf), 0
    for paragraph in filter(None, (squeezed(p) for p in paragraphs)):
        found = text.find(paragraph, at)
        assert found >= 0, f"Not in the PDF after position {at}: {paragraph[:120]!r}"
        at = found + len(paragraph)


@pytest.fixture
def cong_hai(cast, import_text):
    return import_text(texts.corpus(texts.CONG_HAI), organization=cast.a_child)


def test_it_writes_a_version_with_word_styles_in_the_party_format(cong_hai):
    data = word.render_version_docx(cong_hai)
    files = parts(data)
    document = files["word/document.xml"].decode()
    assert '<w:pStyle w:val="Heading1"/>' in document and '<w:pStyle w:val="Heading3"/>' in document
    assert '<w:pStyle w:val="Khoan"/>' in document
    assert (
        '<w:pgSz w:w="11906" w:h="16838"/>' in document and 'w:left="1984"' in document and "<w:titlePg/>" in document
    )
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in document and "Số 01-QĐ/ĐU" in document and "DỰ THẢO" not in document
    assert 'w:instr=" PAGE "' in files["word/header1.xml"].decode()
    assert "PAGE" not in files["word/header2.xml"].decode()
    assert 'w:ascii="Times New Roman"' in files["word/styles.xml"].decode()
    assert paragraph_texts(data, tracked.accept_all) == written(cong_hai)


@needs_soffice
def test_libreoffice_opens_a_version_and_prints_our_text(cong_hai):
    pdf = to_pdf(word.render_version_docx(cong_hai))
    assert poppler.page_size(pdf) == pytest.approx((595.3, 841.9), abs=1)
    first_page = poppler.text(pdf, page=1)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in first_page and not first_page.startswith("1 ")
    assert poppler.text(pdf, page=2).startswith("2 ")  # page numbers from page 2
    assert_reads_in_order(pdf, written(cong_hai))
    assert "Vũ Thị Thùy Trang" in poppler.text(pdf) and "Nơi nhận:" in poppler.text(pdf)


def test_a_draft_is_marked_and_leaves_its_number_blank(cast, import_text):
    draft = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number=""))
    document = parts(word.render_version_docx(draft))["word/document.xml"].decode()
    assert "DỰ THẢO" in document and ">Số <" in document


@pytest.mark.parametrize(
    "old, new", [(texts.OCR, texts.AMENDING), (texts.CONG_HAI, texts.GOVERNMENT)], ids=["ocr-to-clean", "two-texts"]
)
def test_accepting_all_changes_gives_the_new_text_and_rejecting_all_the_old_one(cast, import_text, old, new):
    base = import_text(texts.corpus(old), organization=cast.a_child)
    draft = import_text(texts.corpus(new), organization=cast.b)
    by = word.Revision("Văn phòng", base.created_at)
    data = tracked.render_tracked_docx(base, draft, authorship=tracked.Authorship(default=by))
    assert paragraph_texts(data, tracked.accept_all) == written(draft)
    assert paragraph_texts(data, tracked.reject_all) == written(base)


@pytest.fixture
def reshaped(people, amendment):
    """A draft with an article changed, one inserted, one removed, one moved, and the rest renumbered."""
    edit_meetings_article(amendment, people.office_a)
    insert_terms_and_remove_meetings(amendment, people.office_a)  # new Điều 2; Điều 2, 3 become 3, 4
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=people.bithu_a)
    services.draft_article_move(
        amendment=refresh(amendment), user=people.bithu_a, key=draft_article(amendment, "5").key,
        after_key=draft_article(amendment, "1").key, reason="Đưa tổ chức thực hiện lên trước.",
    )  # fmt: skip
    return refresh(amendment)


def test_the_consultation_copy_tracks_every_change_by_who_made_it_with_its_reason(people, in_force, reshaped):
    data = consultation_word.consultation_copy(reshaped)
    draft = reshaped.draft
    assert paragraph_texts(data, tracked.accept_all) == written(draft)
    assert paragraph_texts(data, tracked.reject_all) == written(in_force)
    labels = [a.label for a in provision_tree(draft).articles]
    assert labels == ["1", "2", "3", "4", "5"]

    document = body(data)
    authors = {element.get(word.w("author")) for element in document.iter(word.w("ins"), word.w("del"))}
    assert {str(people.office_a), str(people.bithu_a)} <= authors
    comments = parts(data)["word/comments.xml"].decode()
    assert "Bổ sung: Làm rõ các từ ngữ dùng trong Quy chế." in comments
    assert "Bãi bỏ: Chuyển sang quy chế hội nghị." in comments
    assert "Chuyển vị trí: Đưa tổ chức thực hiện lên trước." in comments
    assert f'w:author="{people.bithu_a}"' in comments
    settings = parts(data)["word/settings.xml"].decode()
    assert "<w:trackRevisions/>" in settings  # what a member types is tracked too
    properties = parts(data)["docProps/custom.xml"].decode()
    assert f">{reshaped.pk}<" in properties and f">{reshaped.draft_id}<" in properties
    assert "lnNumType" not in parts(data)["word/document.xml"].decode()
    assert (
        "lnNumType"
        in parts(consultation_word.consultation_copy(reshaped, line_numbers=True))["word/document.xml"].decode()
    )


@needs_soffice
def test_libreoffice_opens_the_consultation_copy(people, in_force, reshaped):
    pdf = to_pdf(consultation_word.consultation_copy(reshaped, line_numbers=True))
    text = squeezed(poppler.text(pdf))
    # Deleted text stays on the page, struck through, beside what replaced it.
    assert squeezed("Giải thích từ ngữ") in text and squeezed("Chế độ họp") in text


def test_downloads_follow_the_pdfs_access_rules(login, people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=at_consultation.created_at.date().replace(year=2100),
        organizations=[people.a_child],
    )  # fmt: skip
    version_url = reverse("regulations:version_docx", args=[at_consultation.base_version_id])
    response = login(people.member_a).get(version_url)
    assert response["Content-Type"] == word.DOCX_CONTENT_TYPE
    assert 'filename="01-QC-DUK.docx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")
    for name in ("reviews:draft_docx", "reviews:consultation_copy"):
        url = reverse(name, args=[at_consultation.pk])
        response = login(people.office_child).get(url)  # consulted from below, without any right on the regulation
        assert response.status_code == 200 and response["Content-Type"] == word.DOCX_CONTENT_TYPE, name
    page = login(people.office_child).get(reverse("reviews:draft", args=[at_consultation.pk])).content.decode()
    assert reverse("reviews:consultation_copy", args=[at_consultation.pk]) in page
    assert reverse("reviews:returned_copy", args=[at_consultation.pk]) in page
    client = login(people.outsider)
    for url in (
        version_url,
        reverse("reviews:draft_docx", args=[at_consultation.pk]),
        reverse("reviews:consultation_copy", args=[at_consultation.pk]),
        reverse("reviews:returned_copy", args=[at_consultation.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_version_page_offers_word(login, cast, cong_hai):
    page = login(cast.office_a).get(reverse("regulations:version", args=[cong_hai.pk])).content.decode()
    assert reverse("regulations:version_docx", args=[cong_hai.pk]) in page


def test_export_docx_writes_a_version_or_the_tracked_copy(people, in_force, reshaped, tmp_path):
    out = io.StringIO()
    call_command("export_docx", str(in_force.pk), "--output", str(tmp_path / "qc.docx"), stdout=out)
    assert out.getvalue().strip() == str(tmp_path / "qc.docx")
    assert paragraph_texts((tmp_path / "qc.docx").read_bytes(), tracked.accept_all) == written(in_force)
    call_command(
        "export_docx", str(reshaped.draft_id), "--against", str(in_force.pk), "--output", str(tmp_path / "dt.docx"),
        stdout=io.StringIO(),
    )  # fmt: skip
    data = (tmp_path / "dt.docx").read_bytes()
    assert paragraph_texts(data, tracked.reject_all) == written(in_force)
    assert "Chuyển vị trí" in parts(data)["word/comments.xml"].decode()  # the dossier's reasons
    with pytest.raises(Exception, match="Không có phiên bản mã 999999"):
        call_command("export_docx", "999999", stdout=io.StringIO())


def test_a_version_in_word_imports_back_as_the_same_text(cong_hai):
    document = parsing.parse_regulation(parsing.read_docx(io.BytesIO(word.render_version_docx(cong_hai))))
    assert [(n.kind, n.label, n.heading, n.text) for n in document.iter_provisions()] == [
        (n.kind, n.label, n.heading, n.text) for n in provision_tree(cong_hai).all
    ]
    assert (document.number, document.signer_name, document.recipients) == (
        cong_hai.number, cong_hai.signer_name, cong_hai.recipients
    )  # fmt: skip
    assert re.sub(r"\s+", " ", document.title) == re.sub(r"\s+", " ", cong_hai.title)
