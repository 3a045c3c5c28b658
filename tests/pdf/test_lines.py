"""Line numbers (số dòng): the PDF and the page break the text into the same lines and number them alike, so
that an opinion citing "dòng 12–15" is found on the screen and on paper (regulations/lines.py)."""

import re
import subprocess
import tempfile
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from organizations.models import BodyKind, Role
from regulations import editing
from regulations.models import Provision, ReadingPreference
from tests import factories
from tests.amendments import refresh
from tests.pdf import poppler

# A line the PDF prints with its number: the number in the left margin, then the line's words.
NUMBERED_ROW = re.compile(r"^\s*(\d+)\s+(\S.*)$")
SCREEN_LINE = re.compile(r'<span class="line[^"]*" data-n="(\d+)" id="dong-\1">(.*?)</span>', re.S)


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_pages(document: bytes) -> list[list[tuple[int, str]]]:
    """Each page's numbered rows, as `pdftotext -layout` reads them: (number, words)."""
    pages = []
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(document)
        count = int(poppler.info(document)["Pages"])
        for page in range(1, count + 1):
            layout = subprocess.run(
                ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            rows = [NUMBERED_ROW.match(row) for row in layout.splitlines()]
            pages.append([(int(m[1]), words(m[2])) for m in rows if m])
    return pages


def screen_lines(html: str) -> dict[int, str]:
    return {int(n): words(unescape(re.sub(r"<[^>]+>", "", line))) for n, line in SCREEN_LINE.findall(html)}


def test_the_pdf_numbers_the_first_and_last_lines_of_every_page_as_the_screen_does(login, cast, corpus_version):
    """Công Hải's Quy định, seven pages: the words of the first and the last numbered line of each page of the
    PDF are those the version's page shows under the same numbers."""
    client = login(cast.office_a)
    page = client.get(reverse("regulations:version", args=[corpus_version.pk]), {"so_dong": "1"}).content.decode()
    screen = screen_lines(page)
    assert list(screen) == list(range(1, len(screen) + 1)) and len(screen) > 150
    assert "Tải bản PDF có số dòng" in page
    document = client.get(reverse("regulations:version_pdf", args=[corpus_version.pk]), {"so_dong": "1"})
    pages = [rows for rows in pdf_pages(document.getvalue()) if rows]
    assert len(pages) >= 6
    for rows in pages:
        for number, text in (rows[0], rows[-1]):
            assert screen[number] == text, (number, text, screen[number])
    assert pages[-1][-1][0] == len(screen)  # every line printed, the last one last
    assert [number for rows in pages for number, _ in rows] == list(range(1, len(screen) + 1))


def test_the_consultation_copy_of_the_draft_is_numbered_as_the_draft_page(login, people, at_consultation):
    client = login(people.member_a)
    draft = client.get(reverse("reviews:draft", args=[at_consultation.pk]), {"so_dong": "1"}).content.decode()
    screen = screen_lines(draft)
    rows = [row for page in pdf_pages(client.get(reverse("reviews:draft_pdf", args=[at_consultation.pk])).getvalue())
            for row in page]  # fmt: skip
    assert dict(rows) == screen
    edited = next(n for n, text in screen.items() if text.startswith("Điều 4. Chế độ họp"))
    assert "năm ngày làm việc" in " ".join(screen[n] for n in range(edited, len(screen) + 1))  # the draft's edit


def test_each_reader_chooses_line_numbers_for_every_text(login, people, at_consultation):
    client = login(people.member_a)
    draft_url = reverse("reviews:draft", args=[at_consultation.pk])
    page = client.get(draft_url).content.decode()
    assert 'id="dong-1"' not in page and "Hiện số dòng" in page
    response = client.post(reverse("regulations:line_numbers"), {"so_dong": "1", "next": f"{draft_url}?so_dong=0"})
    assert response["Location"] == draft_url  # the choice, not the link's parameter, holds from now on
    assert ReadingPreference.objects.get(user=people.member_a).line_numbers
    page = client.get(draft_url).content.decode()
    assert 'id="dong-1"' in page and "Ẩn số dòng" in page
    comparison = client.get(reverse("reviews:comparison", args=[at_consultation.pk])).content.decode()
    span = re.search(r"\(dự thảo, dòng (\d+)–(\d+)\)", comparison)
    assert span and int(span[1]) < int(span[2])
    text = poppler.text(client.get(reverse("reviews:comparison_pdf", args=[at_consultation.pk]),
                                   {"so_dong": "1"}).getvalue(), drawn=True)  # fmt: skip
    assert f"(dự thảo, dòng {span[1]}–{span[2]})" in text
    assert 'id="dong-1"' not in client.get(draft_url, {"so_dong": "0"}).content.decode()  # this once
    assert 'id="dong-1"' not in login(people.btv_a).get(draft_url).content.decode()  # another reader's own choice


def test_a_numbered_issued_text_is_kept_until_a_correction_prints_it_anew(login, cast, corpus_version):
    client = login(cast.office_a)
    url = reverse("regulations:version_pdf", args=[corpus_version.pk])
    first = client.get(url, {"so_dong": "1"}).getvalue()
    assert login(cast.btv_a).get(url, {"so_dong": "1"}).getvalue() == first  # the same file, kept
    office = factories.UserFactory(username="vanphong.stp")  # the office of the đảng bộ that issued it
    factories.seat(office, cast.a_child, BodyKind.OFFICE, Role.OFFICE_STAFF)
    article = Provision.objects.filter(version=corpus_version, kind="article").order_by("position").first()
    body = editing.article_body(article=article)
    editing.version_correct(version=corpus_version, user=office, key=article.key, heading=article.heading,
                            body=body + " Xylophone.", reason="Sai sót khi in")  # fmt: skip
    again = client.get(url, {"so_dong": "1"}).getvalue()
    assert "Xylophone" in poppler.text(again) and "Xylophone" not in poppler.text(first)


@pytest.mark.parametrize("next_url", ["https://example.com/", "//example.com/x"])
def test_the_switch_leads_back_only_within_the_site(login, people, next_url):
    response = login(people.member_a).post(reverse("regulations:line_numbers"), {"so_dong": "1", "next": next_url})
    assert response["Location"] == "/"


def test_the_switch_is_for_those_signed_in(db, client):
    response = client.post(reverse("regulations:line_numbers"), {"so_dong": "1", "next": "/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not ReadingPreference.objects.exists()


def test_an_outsider_gets_no_numbered_draft(login, people, at_consultation):
    client = login(people.outsider)
    assert client.get(reverse("reviews:draft", args=[refresh(at_consultation).pk]), {"so_dong": "1"}).status_code == 404
    assert client.get(reverse("reviews:draft_pdf", args=[at_consultation.pk])).status_code == 404
