"""Search over a fixed set of texts: the same hits, in the same order, on SQLite and PostgreSQL.

The suite runs on both databases in CI; the tests at the end check, on PostgreSQL only, that the
trigram indexes answer the folded words.
"""

import pytest
from django.db import connection
from django.urls import reverse

from regulations import search
from regulations.models import Provision, Regulation
from tests.regulations import texts


def places(user, query):
    return [(hit.place, hit.version_number, hit.version_status) for hit in search.search(user, query)]


@pytest.fixture
def library(import_text, two_versions, cast):
    """A's QCLV in two versions, a draft of a third text, and Công Hải's regulation under A's đảng bộ."""
    import_text(texts.regulation_text([texts.ARTICLES["meetings"]], number=""))
    import_text(texts.corpus(texts.CONG_HAI), organization=cast.a_child)
    return two_versions


EXPECTED = {
    # In force first, then drafts and replaced texts, by regulation, each in document order.
    "tai lieu hoi nghi": [
        ("Điều 5, khoản 2", "01-QC/ĐUK", "replaced"),
        ("Điều 1, khoản 2", "Dự thảo", "draft"),
    ],
    "Tài liệu hội nghị": [
        ("Điều 5, khoản 2", "01-QC/ĐUK", "replaced"),
        ("Điều 1, khoản 2", "Dự thảo", "draft"),
    ],
    "tập trung dân chủ": [
        ("Điều 2, khoản 1", "07-QC/ĐUK", "in_force"),
        ("Điều 2, khoản 1", "01-QC/ĐUK", "replaced"),
    ],
    "de cao trach nhiem nguoi dung dau": [("Điều 2, khoản 1", "07-QC/ĐUK", "in_force")],
    "Thành ủy": [
        ("Điều 3", "07-QC/ĐUK", "in_force"),
        ("Điều 3", "07-QC/ĐUK", "in_force"),
        ("Điều 11, khoản 1", "01-QĐ/ĐU", "in_force"),
    ],
    "xylophone": [],
    "tap trung xylophone": [],
    "zq": [],
}


@pytest.mark.parametrize("query", list(EXPECTED))
def test_it_finds_the_same_hits_in_the_same_order(library, cast, query):
    assert places(cast.btv_a, query) == EXPECTED[query]


def test_short_words_are_found_where_words_start(library, cast):
    # "uy" is "ủy" / "uỷ" ("Đảng ủy", "Ủy ban"), not the end of "quy": a word of one or two letters is
    # a syllable of its own, found at the start of the text or of a word (after a space, "(", "“"...).
    hits = places(cast.btv_a, "uy")
    assert hits[:3] == [
        ("Tên quy chế", "01-QĐ/ĐU", "in_force"),  # "... Văn phòng Đảng ủy xã Công Hải"
        ("Điều 3", "07-QC/ĐUK", "in_force"),
        ("Điều 3", "07-QC/ĐUK", "in_force"),
    ]
    assert ("Tên quy chế", "07-QC/ĐUK", "in_force") not in hits  # "Quy chế làm việc ...": no "ủy"
    assert places(cast.btv_a, "uy") == places(cast.btv_a, "uỷ")
    assert places(cast.btv_a, "uy zq") == []
    assert places(cast.btv_a, "ao") == []  # in "báo cáo", never at a word's start


def test_the_page_marks_short_words_only_where_words_start(login, library, cast):
    page = login(cast.btv_a).get(reverse("regulations:search"), {"q": "uy"}).content.decode()
    assert "Thành <mark>ủy</mark>" in page
    assert "q<mark>uy</mark>" not in page.lower()


def test_a_short_word_is_found_after_a_quotation_mark_or_a_bracket(import_text, login, cast):
    import_text(
        texts.regulation_text(
            [
                ("Lịch công tác", ["Văn phòng xếp lịch theo thứ tự “ưu tiên” do Bí thư quyết định."]),
                ("Việc đột xuất", ["Việc đột xuất được xếp trước (ưu tiên xử lý trong ngày)."]),
            ]
        )
    )
    assert [place for place, _, _ in places(cast.btv_a, "uu")] == ["Điều 1", "Điều 2"]
    page = login(cast.btv_a).get(reverse("regulations:search"), {"q": "ưu"}).content.decode()
    assert "“<mark>ưu</mark> tiên”" in page and "(<mark>ưu</mark> tiên" in page


def test_marks_without_a_letter_or_a_digit_are_not_searched_for(library, cast):
    # A lone "-" or "§" would be in nearly every text, or in none but found only by reading them all.
    assert places(cast.btv_a, "tập trung - dân chủ") == places(cast.btv_a, "tập trung dân chủ")
    assert places(cast.btv_a, "- § …") == []


def test_titles_come_before_provisions(library, cast):
    hits = places(cast.btv_a, "quy che lam viec")
    assert hits[0] == ("Tên quy chế", "07-QC/ĐUK", "in_force")
    assert ("Điều 1", "07-QC/ĐUK", "in_force") in hits


@pytest.mark.parametrize(("walked", "dense"), [(0, 5), (1, 5), (1, 1000), (2, 1000), (100, 5)])
def test_the_hits_are_the_same_however_many_texts_are_read_first(library, cast, monkeypatch, walked, dense):
    everything = {query: places(cast.btv_a, query) for query in [*EXPECTED, "uy", "dang uy", "ban thuong vu"]}
    monkeypatch.setattr(search, "WALKED", walked)
    monkeypatch.setattr(search, "DENSE", dense)  # 1000: any hit in the first texts makes search read on
    for query, hits in everything.items():
        assert places(cast.btv_a, query) == hits, query


def test_a_reader_finds_only_what_they_may_read(library, cast, monkeypatch):
    monkeypatch.setattr(search, "WALKED", 1)  # the text read first is one of A's: the outsider reads none
    assert places(cast.outsider, "ban thuong vu") == []
    assert places(cast.outsider, "uy") == []


@pytest.mark.parametrize(("query", "count"), [("ban thuong vu", 11), ("xylophone", 9), ("zq", 9)])
def test_the_page_takes_a_fixed_number_of_queries_whatever_it_finds(
    login, library, cast, django_assert_num_queries, query, count
):
    client = login(cast.btv_a)
    # session, user, seats, titles, the provisions of the first texts, of the next ones (only where the
    # first held some hits, not a page), of all the texts, the hits (none to load: no query), three
    # header counts: at most 11, however many texts and hits there are
    with django_assert_num_queries(count):
        response = client.get(reverse("regulations:search"), {"q": query})
    assert response.status_code == 200


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes are PostgreSQL's")


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's tables are small enough to read whole
        return queryset.explain()


@postgres_only
def test_the_trigram_index_answers_words_of_provisions(library):
    assert "regulations_provision_text_folded_trgm" in plan(
        Provision.objects.filter(search._has_words("text_folded", search.search_words("tài liệu hội nghị"))).order_by()
    )


@postgres_only
def test_the_trigram_index_answers_words_of_titles(library):
    assert "regulations_regulation_title_folded_trgm" in plan(
        Regulation.objects.filter(search._has_words("title_folded", search.search_words("Quy chế làm việc"))).order_by()
    )


@postgres_only
@pytest.mark.parametrize("word", ["uy", "zq", "a"])
def test_the_trigram_index_answers_short_words_where_words_start(library, word):
    # '% zq%' (a space before the word) keeps pg_trgm's trigrams of a word's start, "  z" and " zq".
    assert "regulations_provision_text_folded_trgm" in plan(
        Provision.objects.filter(search._has_words("text_folded", [word])).order_by()
    )
