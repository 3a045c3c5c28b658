"""Hostile parameters: ids that are no ids, NUL and invisible characters, over-long searches.

Each answers 404 or a Vietnamese message and changes nothing; none is a server error (on PostgreSQL a NUL
in a query, or a number past its integers, used to be one).
"""

import re
import sys
import unicodedata

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from organizations.models import Organization, OrganizationKind
from quyche.text import nfc
from tests import factories
from tests.regulations import texts

NOT_IDS = ["abc", "0", "null,null", "99999999999999999999"]  # the last past BigAutoField's range


def _id_urls(patterns, prefix=""):
    """Every URL of the site (the admin aside) that takes an id, with "{}" for each id."""
    for entry in patterns:
        route = str(entry.pattern).removeprefix("^").removesuffix("$")
        if isinstance(entry, URLResolver):
            if not route.startswith("quan-tri/"):
                yield from _id_urls(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern) and "format" not in route:  # the API's ".json" twins aside
            url = prefix + re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
            url = re.sub(r"<\w+:\w+>|\(\?P<\w+>[^)]*\)", "{}", url)
            if "{}" in url:
                yield "/" + url


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_superuser=True, is_staff=True)


def test_every_url_that_takes_an_id_answers_404_to_anything_else(client, superuser):
    client.force_login(superuser)
    urls = sorted(set(_id_urls(get_resolver().url_patterns)))
    assert len(urls) > 50 and "/api/versions/{}/" in urls and "/to-chuc/{}/" in urls
    wrong = []
    for url in urls:
        for value in NOT_IDS:
            target = url.replace("{}", value)
            for method in (client.get,) if url.startswith("/api/") else (client.get, client.post):  # read-only API
                status = method(target).status_code
                if status != 404:
                    wrong.append(f"{method.__name__.upper()} {target}: {status}")
    assert wrong == [], "Use <id:…> (quyche/urls.py) for ids in URLs:\n" + "\n".join(wrong)


def test_the_api_answers_json_404_in_vietnamese_to_an_id_that_is_no_id(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    for url in (
        "/api/regulations/abc/", "/api/versions/abc/", "/api/amendments/null,null/",
        "/api/organizations/99999999999999999999/", "/api/versions/1.5/", "/api/organizations/-1/oversight/",
    ):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404 and response.json()["detail"].startswith("Không tìm thấy"), url


def test_nfc_drops_nul_and_every_format_character_and_keeps_everything_else():
    everything = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]  # surrogates aside
    invisible = "".join(ch for ch in everything if ch == "\x00" or unicodedata.category(ch) == "Cf")
    assert "\u200b" in invisible and "\u202e" in invisible and "\ufeff" in invisible
    assert nfc(invisible) == ""
    rest = "".join(ch for ch in everything if ch not in invisible)
    assert nfc(rest) == unicodedata.normalize("NFC", rest)


def test_nfc_keeps_vietnamese_as_it_is_written_composed():
    written = "Đảng ủy, Ban Thường vụ; uỷ viên; hoá; Nghị quyết; Ỷ, ỹ, Ặ, ờ, ữ; tự phê bình và phê bình"
    assert nfc(written) == written
    assert nfc(unicodedata.normalize("NFD", written)) == written  # typed with combining marks (Mn)
    assert nfc("Đảng\u200b ủy\u00ad xã\u200d") == "Đảng ủy xã"


def test_an_organization_name_keeps_no_invisible_characters(login, cast):
    name, code = "Chi bộ\u200b Sở\u202e Ngoại vụ\ufeff", "SN\u200dGV"  # zero-width space, right-to-left override...
    response = login(cast.office_a).post(
        reverse("organizations:add_child", args=[cast.a.pk]),
        {"name": name, "kind": OrganizationKind.GRASSROOTS_CELL, "code": code},
    )
    assert response.status_code == 302
    created = Organization.objects.get(code="SNGV")
    assert created.name == "Chi bộ Sở Ngoại vụ"


@pytest.fixture
def regulation(import_text):
    return import_text(texts.regulation_text([texts.ARTICLES["scope"], texts.ARTICLES["principles"]])).regulation


def test_a_nul_or_an_invisible_character_in_a_search_is_dropped(login, cast, regulation):
    client = login(cast.member_a)
    assert client.get(reverse("regulations:search"), {"q": "\x00"}).status_code == 200
    page = client.get(reverse("regulations:search"), {"q": "quy che\x00 lam\u200b viec"}).content.decode()
    assert "<mark>Quy chế làm việc</mark>" in page
    page = client.get(reverse("organizations:tree"), {"q": "\x00Khối\u202e"}).content.decode()
    assert "Đảng ủy Khối Cơ quan thử nghiệm" in page and "Kết quả tìm" in page

    api = APIClient()
    api.force_authenticate(cast.member_a)
    response = api.get("/api/search/", {"q": "\x00"})
    assert (response.status_code, response.json()) == (400, {"q": "Cần nhập từ khóa tìm kiếm."})
    response = api.get("/api/search/", {"q": "quy che\x00 lam\u200b viec"})
    assert response.status_code == 200 and response.json()[0]["regulation"] == regulation.pk


def test_a_search_longer_than_200_characters_is_refused_with_a_message(login, cast, regulation):
    query = "quy chế " * 30
    page = login(cast.member_a).get(reverse("regulations:search"), {"q": query}).content.decode()
    assert "Từ khóa tìm kiếm: tối đa 200 ký tự (đã nhập 239 ký tự)." in page and "<mark>" not in page
    api = APIClient()
    api.force_authenticate(cast.member_a)
    response = api.get("/api/search/", {"q": query})
    assert response.status_code == 400
    assert response.json() == {"q": ["Từ khóa tìm kiếm: tối đa 200 ký tự (đã nhập 239 ký tự)."]}


def test_a_version_pick_or_a_regulation_in_the_query_string_that_is_no_id(login, cast, regulation):
    client = login(cast.office_a)
    response = client.get(reverse("regulations:compare_pick", args=[regulation.pk]), {"cu": "²", "moi": "1"})
    assert response.status_code == 302  # back to the regulation, with "Hãy chọn hai phiên bản khác nhau"
    for value in ("abc", "99999999999999999999"):
        response = client.get(reverse("regulations:import", args=[cast.a.pk]), {"quy_che": value})
        assert response.status_code == 404
