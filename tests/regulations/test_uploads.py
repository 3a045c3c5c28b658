"""Uploads and imports that would cost too much are refused, before the work starts, in Vietnamese,
the same on the import page and in `import_regulation`, and nothing is saved."""

import io
import os
import re
import zipfile
from html import escape

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from regulations.models import Regulation, Version
from regulations.parsing import check_text
from tests.regulations import texts

MB = 1024 * 1024


def word_file(text: str) -> bytes:
    """A Word file of `text`, one paragraph a line (written directly: python-docx is slow for 100,000)."""
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in text.splitlines()
    )
    document = docx.Document()
    buffer = io.BytesIO()
    document.save(buffer)
    xml = zipfile.ZipFile(buffer).read("word/document.xml").decode()
    return with_parts(
        {"word/document.xml": xml.replace("<w:body>", f"<w:body>{paragraphs}").encode()}, base=buffer.getvalue()
    )


def with_parts(parts: dict[str, bytes], *, base: bytes | None = None) -> bytes:
    """A Word file (a real one unless `base` says otherwise) with `parts` added or replaced."""
    source = zipfile.ZipFile(io.BytesIO(base or word_file(texts.regulation_text(texts.numbered_articles(3)))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            if name not in parts:
                archive.writestr(name, source.read(name))
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def half_random(size: int) -> bytes:
    """Bytes that pack about 9:1, under the ratio that marks a bomb."""
    return b"".join(os.urandom(100) + b"a" * 900 for _ in range(size // 1000))


def too_many_entries() -> bytes:
    return with_parts({f"customXml/item{n}.xml": b"<a/>" for n in range(1001)})


def not_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bang-tinh.csv", "Điều 1. Phạm vi\n")
    return buffer.getvalue()


# Each case is generated here: (name, the .docx, the reason shown).
BOMBS = [
    # Declared larger than a part may be: 11 MB of markup in a 2 MB zip.
    (
        "lon.docx",
        lambda: with_parts({"word/document.xml": half_random(11 * MB)}),
        "Phần word/document.xml giải nén ra 11,0 MB (tối đa 10,0 MB cho một phần).",
    ),
    # A ratio bomb: 8 MB of one byte in a few kilobytes (the real one unpacked to 1.15 GB).
    (
        "bom.docx",
        lambda: with_parts({"word/document.xml": b"<" * (8 * MB)}),
        "Phần word/document.xml bị nén bất thường",
    ),
    ("nhieu-phan.docx", too_many_entries, "Tệp có 1.017 thành phần (tối đa 1.000)."),
    (
        "tong.docx",
        lambda: with_parts({f"word/media/a{n}.bin": half_random(9 * MB) for n in range(4)}),
        "Tệp giải nén ra 36,8 MB (tối đa 30,0 MB).",
    ),
    ("khong-phai-word.docx", not_word, "Tệp nén này không phải văn bản Word (.docx)."),
]


def too_long() -> str:
    return texts.regulation_text(texts.numbered_articles(3)) + "".join(
        f"Lời cuối văn bản, dòng {n}.\n" for n in range(80_000)
    )


def too_many_articles() -> str:
    return texts.regulation_text(texts.numbered_articles(1001))


TEXTS = [
    (too_long, "Văn bản quá dài: 2.390.1"),
    (too_many_articles, "Văn bản có 1.001 điều (tối đa 1.000 điều)."),
]


def test_the_corpus_texts_fit_well_within_the_caps():
    for name in (texts.CONG_HAI, texts.GOVERNMENT, texts.AMENDING, texts.OCR):
        check_text(texts.corpus(name))


class TestImportPage:
    def url(self, cast):
        return reverse("regulations:import", args=[cast.a.pk])

    def post_file(self, client, cast, name: str, content: bytes):
        upload = io.BytesIO(content)
        upload.name = name
        return client.post(self.url(cast), {"file": upload, "action": "save"})

    @pytest.mark.parametrize(("name", "make", "message"), BOMBS, ids=[case[0] for case in BOMBS])
    def test_it_refuses_a_word_file_that_would_unpack_to_too_much(self, login, cast, name, make, message):
        content = make()
        assert len(content) < 5 * MB
        response = self.post_file(login(cast.office_a), cast, name, content)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Không mở được tệp .docx này." in page and message in page
        assert not Regulation.objects.exists() and not Version.objects.exists()

    @pytest.mark.parametrize(("make", "message"), TEXTS)
    def test_it_refuses_a_text_past_the_caps_pasted_or_uploaded(self, login, cast, make, message):
        client = login(cast.office_a)
        text = make()
        assert message in self.post_file(client, cast, "quy-che.txt", text.encode()).content.decode()
        assert message in self.post_file(client, cast, "quy-che.docx", word_file(text)).content.decode()
        assert message in client.post(self.url(cast), {"text": text, "action": "save"}).content.decode()
        assert not Version.objects.exists()

    def test_it_refuses_a_file_over_5_mb(self, login, cast):
        response = self.post_file(login(cast.office_a), cast, "quy-che.txt", b"a" * (5 * MB + 1))
        assert "Tệp quá lớn (tối đa 5 MB)." in response.content.decode()
        assert not Version.objects.exists()

    def test_a_request_too_large_gets_the_vietnamese_400_page(self, login, cast):
        response = login(cast.office_a).post(self.url(cast), {"text": "a" * (6 * MB + 1), "action": "save"})
        page = response.content.decode()
        assert response.status_code == 400 and "Dữ liệu gửi lên quá lớn." in page
        assert "RequestDataTooBig" not in page
        assert not Version.objects.exists()

    def test_it_still_saves_an_ordinary_word_file(self, login, cast):
        content = word_file(texts.regulation_text(texts.numbered_articles(3)))
        response = self.post_file(login(cast.office_a), cast, "quy-che.docx", content)
        version = Version.objects.get()
        assert response["Location"] == reverse("regulations:version", args=[version.pk])
        assert version.number == "01-QC/ĐUK" and version.provisions.filter(kind="article").count() == 3


class TestCommand:
    def run(self, path, *args):
        call_command("import_regulation", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())

    @pytest.mark.parametrize(("name", "make", "message"), BOMBS, ids=[case[0] for case in BOMBS])
    def test_it_refuses_a_word_file_that_would_unpack_to_too_much(self, cast, tmp_path, name, make, message):
        path = tmp_path / name
        path.write_bytes(make())
        for args in (["--dry-run"], ["--organization", str(cast.a.pk)]):
            with pytest.raises(CommandError, match=f"Không mở được tệp .*{name}. {re.escape(message)}"):
                self.run(path, *args)
        assert not Regulation.objects.exists() and not Version.objects.exists()

    @pytest.mark.parametrize(("make", "message"), TEXTS)
    def test_it_refuses_a_text_past_the_caps(self, cast, tmp_path, make, message):
        text = make()
        (tmp_path / "quy-che.txt").write_text(text, encoding="utf-8")
        (tmp_path / "quy-che.docx").write_bytes(word_file(text))
        for name in ("quy-che.txt", "quy-che.docx"):
            for args in (["--dry-run"], ["--organization", str(cast.a.pk)]):
                with pytest.raises(CommandError) as refused:
                    self.run(tmp_path / name, *args)
                assert message in str(refused.value)
        assert not Version.objects.exists()

    def test_it_refuses_a_file_over_5_mb_without_reading_it(self, cast, tmp_path):
        path = tmp_path / "lon.txt"
        path.write_bytes(b"a" * (5 * MB + 1))
        with pytest.raises(CommandError, match=r"Tệp .*lon.txt quá lớn \(tối đa 5 MB\)."):
            self.run(path, "--organization", str(cast.a.pk))
        assert not Version.objects.exists()

    def test_it_still_imports_an_ordinary_word_file(self, cast, tmp_path):
        path = tmp_path / "quy-che.docx"
        path.write_bytes(word_file(texts.regulation_text(texts.numbered_articles(3))))
        self.run(path, "--organization", str(cast.a.pk))
        assert Version.objects.get().provisions.filter(kind="article").count() == 3
