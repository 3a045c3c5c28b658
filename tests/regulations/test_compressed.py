"""A version's page goes out gzip-compressed to a browser that takes it (quyche/gzipped.py): the kept text's
blocks are compressed once and put between the page's own, and what the browser unpacks is the page a reader
without gzip gets. Chromium reads these pages in tests/browser (it always asks for gzip)."""

import gzip
import re

from django.urls import reverse

from quyche.gzipped import accepts_gzip
from regulations import services
from regulations.models import Provision, ProvisionKind

BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}
TOKEN = re.compile(rb"[A-Za-z0-9]{64}")  # the CSRF token, masked afresh in each answer


def same_page(compressed, plain) -> bool:
    return TOKEN.sub(b"", gzip.decompress(compressed.content)) == TOKEN.sub(b"", plain.content)


def test_a_browser_that_takes_gzip_gets_the_same_page_compressed(login, cast, two_versions):
    _, second = two_versions
    client = login(cast.member_a)
    url = reverse("regulations:version", args=[second.pk])
    drawn = client.get(url, headers=BROWSER)  # drawn, compressed and kept
    plain = client.get(url)  # read kept, sent as it is
    kept = client.get(url, headers=BROWSER)
    assert plain.status_code == 200 and "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    assert 'id="dieu-6"' in plain.content.decode()
    for compressed in (drawn, kept):
        assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
        assert same_page(compressed, plain)  # gzip.decompress checks the CRC and the length too
        assert len(compressed.content) < len(plain.content) / 2


def test_a_draft_drawn_on_each_request_is_compressed_too(login, cast, two_versions):
    _, second = two_versions
    draft = services.version_copy_as_draft(version=second, user=cast.office_a)
    client = login(cast.office_a)
    url = reverse("regulations:version", args=[draft.pk])
    compressed, plain = client.get(url, headers=BROWSER), client.get(url)
    assert compressed["Content-Encoding"] == "gzip" and same_page(compressed, plain)
    Provision.objects.filter(version=draft, kind=ProvisionKind.ARTICLE, label="2").update(heading="Nguyên tắc mới")
    assert "Nguyên tắc mới" in gzip.decompress(client.get(url, headers=BROWSER).content).decode()


def test_a_browser_that_refuses_gzip_gets_the_page_as_it_is(login, cast, two_versions):
    _, second = two_versions
    client = login(cast.member_a)
    url = reverse("regulations:version", args=[second.pk])
    for refusal in ("gzip;q=0, identity", "br", "identity"):
        response = client.get(url, headers={"Accept-Encoding": refusal})
        assert "Content-Encoding" not in response and 'id="dieu-6"' in response.content.decode(), refusal


def test_the_compressed_length_varies_so_it_does_not_reveal_what_compressed_with_a_secret(login, cast, two_versions):
    """BREACH: as Django's GZipMiddleware does, the gzip header names a file of random length."""
    _, second = two_versions
    client = login(cast.member_a)
    url = reverse("regulations:version", args=[second.pk])
    answers = [client.get(url, headers=BROWSER).content for _ in range(8)]
    assert all(answer[3] & gzip.FNAME for answer in answers)  # the header carries a name
    assert len({answer.index(b"\0", 10) - 10 for answer in answers}) > 1  # of lengths that vary


def test_gzip_is_taken_when_named_anywhere_without_refusal(rf):
    assert accepts_gzip(rf.get("/", headers={"Accept-Encoding": "x-gzip;q=0, gzip;q=0.5"}))
    assert not accepts_gzip(rf.get("/", headers={"Accept-Encoding": "*"}))
    assert not accepts_gzip(rf.get("/"))
