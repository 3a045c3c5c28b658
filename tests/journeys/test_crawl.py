"""Every page a demo persona can reach by clicking answers without a server error.

On the demo data plus a real text imported from the command line (whose history rows have no
user) and an amendment started on it, each persona logs in and follows the links of the pages
they see, from the home page, breadth first and bounded; GET only, so nothing is changed.
"""

import io
import re
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings

from organizations.models import BodyKind, Organization, User
from regulations.models import Regulation
from reviews import services as review_services

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "01-QD-DU-2025_QuyDinh-VanPhong-DangUy-xa-CongHai.txt"
PERSONAS = [
    "vanphong.khoi", "btv.khoi", "bch.khoi", "bithu.khoi", "btv.thanhuy", "vanphong.stp", "bithu.ninhkieu", "admin",
]  # fmt: skip
MAX_PAGES = 220  # per persona: enough to reach every kind of page, bounded in time
MAX_PDFS = 3  # PDFs are rendered on each request; a few per persona prove the downloads work
HREF = re.compile(r'href="([^"#][^"]*)"')
SKIP = ("/static/", "/media/", "/quan-tri/", "/api/schema/")


@pytest.fixture
def province(db):
    with override_settings(DEBUG=True):  # the demo seeds only a development database
        call_command("seed_demo", stdout=io.StringIO())
    office = User.objects.get(username="vanphong.stp")
    organization = _office_organization(office)
    call_command("import_regulation", str(CORPUS), "--organization", str(organization.pk), stdout=io.StringIO())
    imported = Regulation.objects.filter(organization=organization).order_by("-pk").first()
    review_services.amendment_start(regulation=imported, user=office, title="", reason="Rà soát văn bản đã nhập")
    return imported


def _office_organization(user) -> Organization:
    return Organization.objects.get(bodies__positions__user=user, bodies__kind=BodyKind.OFFICE)


def links(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        url, _ = urldefrag(unescape(href))
        if url.startswith("/") and not url.startswith("//") and not url.startswith(SKIP):
            found.append(url)
    return found


def crawl(client) -> tuple[list[tuple[str, int, str]], int]:
    """(failures as (url, status, the page that linked it), pages visited)."""
    seen, queue, failures, pdfs, visited = {"/"}, deque([("/", "")]), [], 0, 0
    while queue and visited < MAX_PAGES:
        url, referrer = queue.popleft()
        is_pdf = urlsplit(url).path.endswith((".pdf", "/pdf/"))
        if is_pdf:
            if pdfs >= MAX_PDFS:
                continue
            pdfs += 1
        response = client.get(url)
        visited += 1
        if response.status_code >= 500:
            failures.append((url, response.status_code, referrer))
            continue
        if response.status_code in (301, 302):
            target = response["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in links(response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append((link, url))
    return failures, visited


@pytest.mark.parametrize("username", PERSONAS)
def test_no_page_a_persona_can_reach_answers_a_server_error(client, province, username):
    client.force_login(User.objects.get(username=username))
    failures, visited = crawl(client)
    assert failures == [], failures
    assert visited > 10  # the persona did get somewhere
