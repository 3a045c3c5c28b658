"""Văn bản hợp nhất: the text in force on a day, with the document that changed each article."""

import datetime
import io

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from regulations import consolidation, selectors
from regulations.models import Provision
from tests.pdf import poppler
from tests.regulations import texts

A = texts.ARTICLES
BY_07 = "theo Quy chế số 07-QC/ĐUK ngày 20/3/2026."
BY_09 = "theo Quy chế số 09-QC/ĐUK ngày 1/6/2026."
REMOVED = f"Điều 5 của Quy chế số 01-QC/ĐUK ngày 15/9/2025 được bãi bỏ {BY_07}"
BTV_AMENDED = (
    A["btv"][0],
    [*A["btv"][1], "Quyết định việc sửa đổi, bổ sung quy chế làm việc của các đảng ủy trực thuộc."],
)


@pytest.fixture
def amended_twice(import_text, two_versions):
    """A's QCLV 01-QC/ĐUK, amended by 07-QC/ĐUK (Điều 2 modified, Điều 3 inserted, the meeting article
    removed) and then by 09-QC/ĐUK of 1/6/2026 (Điều 4, the BTV's, given a third clause)."""
    first, second = two_versions
    third = import_text(
        texts.regulation_text(
            [A["scope"], second_principles(second), A["relations"], BTV_AMENDED, A["secretary"], A["implementation"]],
            number="09-QC/ĐUK",
            date=(1, 6, 2026),
        ),
        regulation=first.regulation,
    )
    return first, second, third


def second_principles(second):
    article = Provision.objects.get(version=second, kind="article", label="2")
    clauses = Provision.objects.filter(parent=article).order_by("position").values_list("text", flat=True)
    return article.heading, list(clauses)


def consolidated_on(regulation, day):
    chain = consolidation.chain_on(regulation, day)
    return consolidation.consolidated(chain) if chain else None


def notes(text) -> dict:
    return {label: str(note) for label, note in text.notes}


def test_it_is_the_text_in_force_with_a_note_on_each_changed_article(amended_twice):
    first, second, third = amended_twice
    text = consolidated_on(first.regulation, datetime.date(2026, 7, 1))
    assert [v.number for v in text.chain] == ["01-QC/ĐUK", "07-QC/ĐUK", "09-QC/ĐUK"]
    provisions = [item for item in text.items if not item.is_removed]
    assert [p.pk for p in provisions] == [p.pk for p in selectors.provision_tree(third).all]
    assert notes(text) == {
        "2": f"Điều này được sửa đổi, bổ sung {BY_07}",
        "3": f"Điều này được bổ sung {BY_07}",
        "4": f"Điều này được sửa đổi, bổ sung {BY_09}",
        "5": REMOVED,  # the meeting article, Điều 5 of 01-QC/ĐUK
    }
    # The removed article stands where it stood: after the secretary's (Điều 4 then, Điều 5 now).
    labels = [(item.label, item.is_removed) for item in text.items if item.is_article or item.is_removed]
    assert labels == [("1", False), ("2", False), ("3", False), ("4", False), ("5", False), ("5", True), ("6", False)]
    removed = next(item for item in text.items if item.is_removed)
    assert removed.heading == "Chế độ họp"


@pytest.mark.parametrize(
    ("day", "numbers", "expected"),
    [
        (datetime.date(2025, 9, 14), None, None),
        (datetime.date(2025, 10, 1), ["01-QC/ĐUK"], {}),
        (
            datetime.date(2026, 5, 31),
            ["01-QC/ĐUK", "07-QC/ĐUK"],
            {"2": f"Điều này được sửa đổi, bổ sung {BY_07}", "3": f"Điều này được bổ sung {BY_07}",
             "5": REMOVED},
        ),
    ],
)  # fmt: skip
def test_on_a_past_date_it_is_the_earlier_state(amended_twice, day, numbers, expected):
    text = consolidated_on(amended_twice[0].regulation, day)
    if numbers is None:
        assert text is None
        return
    assert [v.number for v in text.chain] == numbers
    assert notes(text) == expected
    in_force = selectors.version_in_force(amended_twice[0].regulation, day)
    assert [p.pk for p in text.items if not p.is_removed] == [p.pk for p in selectors.provision_tree(in_force).all]


def test_a_renumbered_article_carries_no_note(two_versions):
    text = consolidated_on(two_versions[0].regulation, datetime.date(2026, 4, 1))
    btv = next(item for item in text.items if item.is_article and item.heading == A["btv"][0])
    assert btv.label == "4" and btv.note is None


def test_the_page_shows_the_notes_and_the_documents_it_is_made_of(login, cast, amended_twice):
    first, second, third = amended_twice
    url = reverse("regulations:consolidated", args=[first.regulation_id])
    page = login(cast.member_a).get(url, {"ngay": "2026-07-01"}).content.decode()
    assert "Văn bản hợp nhất" in page
    assert f"Điều này được sửa đổi, bổ sung {BY_09}" in page
    assert REMOVED in page
    for version in (first, second, third):
        assert reverse("regulations:version", args=[version.pk]) in page
    assert 'value="2026-07-01"' in page  # the date picker shows the day read
    earlier = login(cast.member_a).get(url, {"ngay": "2026-04-01"}).content.decode()
    assert BY_07 in earlier and BY_09 not in earlier
    # Reached from the regulation's page, and from each amending text on the day it came into force.
    regulation_page = login(cast.member_a).get(reverse("regulations:detail", args=[first.regulation_id]))
    assert f'href="{url}"' in regulation_page.content.decode()
    version_page = login(cast.member_a).get(reverse("regulations:version", args=[third.pk]))
    assert f'href="{url}?ngay=2026-06-01"' in version_page.content.decode()


def test_the_page_says_when_nothing_was_in_force(login, cast, amended_twice):
    url = reverse("regulations:consolidated", args=[amended_twice[0].regulation_id])
    page = login(cast.member_a).get(url, {"ngay": "2025-01-01"}).content.decode()
    assert "Không có văn bản nào của quy chế này có hiệu lực vào ngày 01/01/2025." in page
    pdf_url = reverse("regulations:consolidated_pdf", args=[amended_twice[0].regulation_id])
    response = login(cast.member_a).get(pdf_url, {"ngay": "2025-01-01"}, follow=True)
    assert response.redirect_chain == [(f"{url}?ngay=2025-01-01", 302)]
    assert "Không có văn bản nào của quy chế này có hiệu lực vào ngày 01/01/2025." in response.content.decode()


def test_a_day_that_is_no_day_is_refused_with_a_message(login, cast, amended_twice):
    url = reverse("regulations:consolidated", args=[amended_twice[0].regulation_id])
    response = login(cast.member_a).get(url, {"ngay": "31/02/2026"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Ngày không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("name", ["consolidated", "consolidated_pdf", "consolidated_docx"])
def test_an_outsider_gets_404(login, cast, amended_twice, name):
    url = reverse(f"regulations:{name}", args=[amended_twice[0].regulation_id])
    assert login(cast.outsider).get(url, {"ngay": "2026-07-01"}).status_code == 404


def test_the_pages_queries_do_not_grow_and_the_text_is_kept_drawn(
    login, cast, amended_twice, django_assert_num_queries, uncached_header
):
    client = login(cast.member_a)
    url = reverse("regulations:consolidated", args=[amended_twice[0].regulation_id])
    # session, user, regulation, seats, version in force, versions, provisions, three header counts
    with django_assert_num_queries(10):
        client.get(url, {"ngay": "2026-07-01"})
    with django_assert_num_queries(9):  # the provisions' drawing is kept
        client.get(url, {"ngay": "2026-07-01"})


def test_the_pdf_has_the_notes_as_footnotes(login, cast, amended_twice):
    url = reverse("regulations:consolidated_pdf", args=[amended_twice[0].regulation_id])
    response = login(cast.member_a).get(url, {"ngay": "2026-07-01"})
    assert response["Content-Disposition"] == 'attachment; filename="hop-nhat-09-qc-duk-2026-07-01.pdf"'
    text = poppler.text(b"".join(response.streaming_content))
    assert "(Văn bản hợp nhất, có hiệu lực vào ngày 01/07/2026)" in text
    assert "Quy chế số 01-QC/ĐUK ngày 15/9/2025, có hiệu lực kể từ ngày 15/09/2025, được sửa đổi, bổ sung bởi:" in text
    assert "2. Quy chế số 09-QC/ĐUK ngày 1/6/2026, có hiệu lực kể từ ngày 01/06/2026." in text
    for note in (f"Điều này được sửa đổi, bổ sung {BY_07}", f"Điều này được bổ sung {BY_07}",
                 f"Điều này được sửa đổi, bổ sung {BY_09}", REMOVED):  # fmt: skip
        assert note in text
    assert "Điều 5. Chế độ họp (được bãi bỏ)" in text
    assert A["implementation"][1][0] in text


def test_each_footnote_is_called_by_its_number_and_printed_with_it_at_the_foot_of_the_page(login, cast, amended_twice):
    url = reverse("regulations:consolidated_pdf", args=[amended_twice[0].regulation_id])
    document = b"".join(login(cast.member_a).get(url, {"ngay": "2026-07-01"}).streaming_content)
    assert "Điều 2. Nguyên tắc làm việc1" in poppler.text(document, page=1)
    words = poppler.words(document)
    heading, call = next((words[i - 1], word) for i, word in enumerate(words) if word.text == "1" and i)
    assert heading.text == "việc" and call.x_min >= heading.x_max - 0.5  # right after the heading's last word,
    assert call.y_max < heading.y_max - 3 and call.y_max - call.y_min < heading.y_max - heading.y_min  # raised, smaller
    marker = next(word for i, word in enumerate(words) if [w.text for w in words[i : i + 3]] == ["1.", "Điều", "này"])
    assert marker.page == call.page
    bottom = poppler.page_size(document)[1] - 25 * poppler.MM  # the lower margin
    assert bottom - 40 * poppler.MM < marker.y_min < bottom


def word_paragraphs(data: bytes) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]


def test_the_word_file_has_the_notes_under_their_articles(login, cast, amended_twice):
    url = reverse("regulations:consolidated_docx", args=[amended_twice[0].regulation_id])
    response = login(cast.member_a).get(url, {"ngay": "2026-07-01"})
    assert response["Content-Disposition"] == 'attachment; filename="hop-nhat-09-qc-duk-2026-07-01.docx"'
    paragraphs = word_paragraphs(b"".join(response.streaming_content))
    assert "(Văn bản hợp nhất, có hiệu lực vào ngày 01/07/2026)" in paragraphs
    assert "2. Quy chế số 09-QC/ĐUK ngày 1/6/2026, có hiệu lực kể từ ngày 01/06/2026." in paragraphs
    removed = paragraphs.index("Điều 5. Chế độ họp (được bãi bỏ)")
    assert paragraphs[removed + 1] == REMOVED
    btv = next(i for i, text in enumerate(paragraphs) if text.startswith(f"Điều 4. {A['btv'][0]}"))
    assert paragraphs[btv + 1] == f"Điều này được sửa đổi, bổ sung {BY_09}"  # under the article's heading
    assert A["implementation"][1][0] in "\n".join(paragraphs)
    page = login(cast.member_a).get(reverse("regulations:consolidated", args=[amended_twice[0].regulation_id]))
    assert f'href="{url}?ngay=' in page.content.decode()


def test_the_command_writes_the_pdf_of_a_past_date(amended_twice, tmp_path, capsys):
    output = tmp_path / "hop-nhat.pdf"
    call_command(
        "export_consolidated", str(amended_twice[0].regulation_id), "--on", "2026-04-01", "--output", str(output)
    )
    assert capsys.readouterr().out.strip() == str(output)
    text = poppler.text(output.read_bytes())
    assert "(Văn bản hợp nhất, có hiệu lực vào ngày 01/04/2026)" in text
    assert f"Điều này được bổ sung {BY_07}" in text and "09-QC/ĐUK" not in text
    call_command("export_consolidated", str(amended_twice[0].regulation_id), "--on", "2026-04-01", "--format", "docx",
                 "--output", str(tmp_path / "hop-nhat.docx"))  # fmt: skip
    paragraphs = word_paragraphs((tmp_path / "hop-nhat.docx").read_bytes())
    assert f"Điều này được bổ sung {BY_07}" in paragraphs and "09-QC/ĐUK" not in "\n".join(paragraphs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "Không có quy chế mã 999999."),
        (["{pk}", "--on", "2026-02-30"], "Ngày không hợp lệ"),
        (["{pk}", "--on", "2025-01-01"], "Không có văn bản nào của quy chế này có hiệu lực vào ngày 01/01/2025."),
    ],
)
def test_the_command_refuses_what_it_cannot_export(amended_twice, tmp_path, args, message):
    output = tmp_path / "x.pdf"
    args = [arg.format(pk=amended_twice[0].regulation_id) for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("export_consolidated", *args, "--output", str(output))
    assert not output.exists()
