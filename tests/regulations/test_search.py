"""Search over a fixed set of texts: the same hits, in the same order, on SQLite and PostgreSQL.

The suite runs on both databases in CI; the tests at the end check, on PostgreSQL only, that the
lexicon and the index of words answer the folded words of provisions, and a trigram index those of titles.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm

from regulations import editing, search
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
    "tap trung xylophone": [],  # one word in no text
    "zq": [],
    "cong hai xylophone": [],
    "tap trung dan chu uy": [],  # each word in some text, never together
    "nghi quyet ky hop": [("Điều 4, khoản 1", "07-QC/ĐUK", "in_force"), ("Điều 3, khoản 1", "01-QC/ĐUK", "replaced")],
    "uy ban kiem tra": [
        ("Điều 6, khoản 2, điểm b", "01-QĐ/ĐU", "in_force"),
        ("Điều 6, khoản 4, điểm c", "01-QĐ/ĐU", "in_force"),
        ("Điều 10, khoản 2", "01-QĐ/ĐU", "in_force"),
        ("Điều 13", "01-QĐ/ĐU", "in_force"),
    ],
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
    caches["counts"].clear()  # the hits found above are kept: find them again, read this other way
    for query, hits in everything.items():
        assert places(cast.btv_a, query) == hits, query


def test_a_reader_finds_only_what_they_may_read(library, cast, monkeypatch):
    monkeypatch.setattr(search, "WALKED", 1)  # the text read first is one of A's: the outsider reads none
    assert places(cast.outsider, "ban thuong vu") == []
    assert places(cast.outsider, "uy") == []


# session, user, seats, titles, three header counts, and the provisions: on SQLite those of the first
# texts, of the next ones (only where the first held some hits, not a page) and of all the texts; on
# PostgreSQL the same after the lexicon, which answers at once for a word found in no text.
QUERIES = {
    "sqlite": {"ban thuong vu": 10, "xylophone": 9, "zq": 9},
    "postgresql": {"ban thuong vu": 11, "xylophone": 8, "zq": 8},
}


@pytest.mark.parametrize("query", ["ban thuong vu", "xylophone", "zq"])
def test_the_page_takes_a_fixed_number_of_queries_whatever_it_finds(
    login, library, cast, django_assert_num_queries, query
):
    client = login(cast.btv_a)
    with django_assert_num_queries(QUERIES[connection.vendor][query]):
        response = client.get(reverse("regulations:search"), {"q": query})
    assert response.status_code == 200


def test_a_word_added_by_editing_a_draft_is_then_found(library, cast):
    assert places(cast.btv_a, "xylophone") == []
    draft = Provision.objects.get(version__number="", kind="article", label="1")
    editing.article_update(
        article=draft,
        user=cast.office_a,
        heading=draft.heading,
        body="Hội nghị nghe nhạc xylophone trước khi khai mạc.",
        reason="Thêm nhạc",
        expected_revision=draft.revision,
    )
    assert places(cast.btv_a, "xylophone") == [("Điều 1", "Dự thảo", "draft")]
    assert places(cast.btv_a, "hoi nghi xylophone") == [("Điều 1", "Dự thảo", "draft")]
    assert places(cast.btv_a, "tai lieu xylophone") == []  # both words, but never in one provision


def test_a_word_added_by_importing_a_text_is_then_found(library, cast, import_text):
    assert places(cast.btv_a, "zq") == places(cast.btv_a, "quetzal") == []
    import_text(texts.regulation_text([("Chim quý", ["Văn phòng chăm sóc chim quetzal (zq) của cơ quan."])], number=""))
    assert places(cast.btv_a, "zq") == places(cast.btv_a, "quetzal") == [("Điều 1", "Dự thảo", "draft")]
    assert places(cast.btv_a, "uy zq") == []  # "ủy" is in other provisions, not in this one


def test_a_word_only_in_a_text_the_reader_may_not_read_is_not_found(library, cast, import_text):
    # A draft of B, whose secretary reads it: the word is in the lexicon, but not in what A's BTV may read.
    import_text(texts.regulation_text([("Chim quý", ["Chăm sóc chim quetzal."])], number=""), organization=cast.b)
    assert places(cast.outsider, "quetzal") == [("Điều 1", "Dự thảo", "draft")]
    assert places(cast.btv_a, "quetzal") == places(cast.btv_a, "chim quetzal") == []


def test_the_same_search_again_is_read_from_what_was_kept(library, cast):
    first = places(cast.btv_a, "tập trung dân chủ")
    with CaptureQueriesContext(connection) as again:
        assert places(cast.btv_a, "tập trung dân chủ") == first
    assert len(again) == 0
    # Another reader, another spelling of the query: each found afresh, never another's hits.
    assert places(cast.outsider, "tập trung dân chủ") == []
    assert places(cast.btv_a, "tap trung dan chu") == first


def test_a_provision_saved_on_its_own_is_then_found_as_it_reads(library, cast):
    """The admin saves one provision at a time: what was kept of the texts is found afresh."""
    assert places(cast.btv_a, "xylophone") == []
    draft = Provision.objects.get(version__number="", kind="article", label="1")
    draft.text = "Hội nghị nghe nhạc xylophone."
    draft.save()
    assert places(cast.btv_a, "xylophone") == [("Điều 1", "Dự thảo", "draft")]
    draft.delete()
    assert places(cast.btv_a, "xylophone") == []


def test_a_right_granted_on_an_organization_is_then_searched(library, cast):
    """What a person may read decides their hits: a grant, kept or not, shows its texts at the next search."""
    assert places(cast.outsider, "tap trung dan chu") == []
    assign_perm("organizations.view_organization", cast.outsider, cast.a)
    assert [place for place, *_ in places(cast.outsider, "tap trung dan chu")] == ["Điều 2, khoản 1"] * 2


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the index of words is PostgreSQL's")


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test's tables are small enough to read whole
        return queryset.explain()


def words_found(query):
    return search._words_in_texts(search.search_words(query))


@postgres_only
@pytest.mark.parametrize("query", ["tài liệu hội nghị", "uy", "a", "Thành ủy"])
def test_the_index_of_words_answers_the_words_of_provisions(library, query):
    assert "regulations_provision_words" in plan(Provision.objects.filter(words_found(query).condition()).order_by())


@postgres_only
def test_the_lexicon_gives_each_word_the_words_of_the_texts_that_have_it(library):
    found = words_found("uy quyen xylophone")
    assert "uy" in found.forms["uy"] and "quy" not in found.forms["uy"]  # a short word where a word starts
    assert "quyen" in found.forms["quyen"] and "quyen" not in found.forms["uy"]
    assert found.forms["xylophone"] == []


@postgres_only
def test_the_lexicon_learns_the_words_of_rows_written_without_the_services(library):
    # as generate_province and the benchmarks insert provisions: the database's triggers keep the lexicon
    version = Provision.objects.filter(version__number="").first().version
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO regulations_provision (version_id, key, kind, label, heading, text, text_folded, position,"
            " depth, revision, open_content) VALUES (%s, gen_random_uuid(), 'paragraph', '', '', 'Quetzal',"
            " 'quetzal', 999, 0, 0, false)",
            [version.pk],
        )
        cursor.execute(
            "UPDATE regulations_provision SET text_folded = 'quetzal (zq)' WHERE version_id = %s AND position = 999",
            [version.pk],
        )
    assert words_found("quetzal zq").forms == {"quetzal": ["quetzal"], "zq": ["(zq)"]}


@postgres_only
def test_the_trigram_index_answers_words_of_titles(library):
    assert "regulations_regulation_title_folded_trgm" in plan(
        Regulation.objects.filter(search._has_words("title_folded", search.search_words("Quy chế làm việc"))).order_by()
    )
