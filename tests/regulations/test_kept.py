"""What is kept of long texts for every reader (quyche/kept.py): an issued text drawn, a comparison of two
issued texts, an article's word diffs. Each reader still gets their own controls around it, a correction
is drawn afresh, a draft is never kept, and the kept values reach every worker through Redis."""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quyche import kept as quyche_kept
from regulations import editing, services
from regulations.models import Provision, ProvisionKind

REPEAL = "Ghi nhận bãi bỏ"
AMEND = "Lập hồ sơ sửa đổi, bổ sung"
CORRECT = "Đính chính điều này"


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def name(user) -> str:
    """As the header shows the reader."""
    return f'<span class="user-name">{user.get_full_name() or user.username}</span>'


def document(page: str) -> str:
    return page[page.index('<article class="document">') : page.index("</article>")]


def article(version, label) -> Provision:
    return Provision.objects.get(version=version, kind=ProvisionKind.ARTICLE, label=label)


def correct(version, label, old, new, user):
    provision = article(version, label)
    body = editing.article_body(article=provision).replace(old, new, 1)
    editing.version_correct(version=version, user=user, key=provision.key, heading=provision.heading, body=body,
                            reason="Sai sót kỹ thuật khi in")  # fmt: skip


def test_a_kept_text_carries_each_readers_own_controls(login, cast, two_versions):
    _, second = two_versions
    member = page(login(cast.member_a), "regulations:version", second.pk)  # draws and keeps the text
    office = page(login(cast.office_a), "regulations:version", second.pk)  # reads it kept
    again = page(login(cast.member_a), "regulations:version", second.pk)
    for text in (member, office, again):
        assert 'id="dieu-3"' in text and "Phạm vi điều chỉnh" in text
    assert REPEAL in office and AMEND in office and name(cast.office_a) in office
    for text in (member, again):
        assert REPEAL not in text and AMEND not in text
        assert name(cast.office_a) not in text and name(cast.member_a) in text


def test_an_article_history_kept_in_part_carries_each_readers_own_controls(login, cast, two_versions):
    first, second = two_versions
    modified = article(second, "2")  # Bảo đảm nguyên tắc tập trung dân chủ…, reworded from the first text
    for user, may_correct in ((cast.member_a, False), (cast.office_a, True), (cast.member_a, False)):
        text = page(login(user), "regulations:article", second.pk, modified.key)
        assert "<ins>" in text and first.number in text and second.number in text
        assert (CORRECT in text) == may_correct


def test_a_correction_changes_the_kept_page_comparison_and_history(login, cast, two_versions):
    first, second = two_versions
    client = login(cast.member_a)
    urls = [
        ("regulations:version", second.pk),
        ("regulations:compare", first.pk, second.pk),
        ("api-compare", first.pk, second.pk),
        ("regulations:article", second.pk, article(second, "2").key),
    ]
    for url in urls:
        assert "tuyệt đối" not in page(client, *url)
        assert "tuyệt đối" not in page(client, *url)  # as kept
    correct(second, "2", "tập trung dân chủ", "tập trung dân chủ tuyệt đối", cast.office_a)
    for url in urls:
        assert "tuyệt đối" in page(client, *url), url


def test_a_draft_is_never_served_stale(login, cast, two_versions):
    first, second = two_versions
    draft = services.version_copy_as_draft(version=second, user=cast.office_a)
    client = login(cast.office_a)
    key = article(draft, "2").key
    urls = [
        ("regulations:version", draft.pk),
        ("regulations:compare", second.pk, draft.pk),
        ("api-compare", second.pk, draft.pk),
        ("regulations:article", draft.pk, key),
    ]
    for url in urls:
        assert "bàn bạc dân chủ" not in page(client, *url)
    Provision.objects.filter(version=draft, key=key).update(text="Mọi vấn đề được bàn bạc dân chủ.")
    for url in urls:
        assert "bàn bạc dân chủ" in page(client, *url), url


def test_a_renumbered_article_is_fetched_when_opened_within_the_readers_rights(login, cast, two_versions):
    first, second = two_versions
    client = login(cast.member_a)
    table = page(client, "regulations:compare", first.pk, second.pk)
    moved = article(second, "4")  # was Điều 3, unchanged
    url = reverse("regulations:article_text", args=[second.pk, moved.key])
    assert "Điều 3 thành Điều 4 (chỉ đánh số lại)" in table and f'hx-get="{url}"' in table
    assert moved.heading not in table  # its text is not drawn in the table
    text = client.get(url).content.decode()
    assert text.startswith(f"{moved.heading}\n1. ") and article(first, "3").heading in text
    assert login(cast.outsider).get(url).status_code == 404
    unknown = reverse("regulations:article_text", args=[second.pk, uuid.uuid4()])
    assert login(cast.member_a).get(unknown).status_code == 404


@pytest.fixture
def kept_in_redis(settings, redis_url):
    """The kept values in a Redis of their own prefix, as production keeps them (settings: REDIS_URL)."""
    settings.CACHES = {
        **settings.CACHES,
        "kept": {
            "BACKEND": "quyche.cache.SharedCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-kept-{uuid.uuid4().hex}",
        },
    }
    kept = caches["kept"]
    yield kept
    kept.clear()


def test_what_the_first_reader_drew_is_read_back_from_redis(login, cast, two_versions, kept_in_redis):
    _, second = two_versions
    client = login(cast.member_a)
    url = reverse("regulations:version", args=[second.pk])
    drawn = client.get(url).content.decode()
    keys = kept_in_redis._cache.get_client().keys(f"{kept_in_redis.key_prefix}:*")
    assert len(keys) == 1 and b"version-page-text" in keys[0]
    quyche_kept.forget()  # as another worker, which holds nothing yet, reads it
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url).content.decode()
    assert not any("regulations_provision" in query["sql"] for query in queries.captured_queries)
    assert document(kept) == document(drawn) and 'id="dieu-6"' in document(kept)
    kept_in_redis.clear()  # held by this process now: read without Redis
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert not any("regulations_provision" in query["sql"] for query in queries.captured_queries)
    assert document(again) == document(drawn)


def test_a_process_holds_the_values_it_read_last_within_its_bound(monkeypatch):
    monkeypatch.setattr(quyche_kept, "NEAR_BYTES", 2900)  # three of these values
    built = []

    def build(name):
        built.append(name)
        return {"name": name, "text": "x" * 900}

    for name in ("a", "b", "c", "a", "d"):  # "a" read again: "b" is the least recently read when "d" comes
        caches["kept"].clear()  # only what the process holds is read back
        assert quyche_kept.kept(f"test:{name}", lambda name=name: build(name), timeout=60)["name"] == name
    assert built == ["a", "b", "c", "d"]
    caches["kept"].clear()
    for name in ("a", "c", "d", "b"):
        quyche_kept.kept(f"test:{name}", lambda name=name: build(name), timeout=60)
    assert built == ["a", "b", "c", "d", "b"]
    value = quyche_kept.kept("test:a", lambda: build("a"), timeout=60)
    value["name"] = "changed by one reader"
    assert quyche_kept.kept("test:a", lambda: build("a"), timeout=60)["name"] == "a"  # each reader its own copy


def test_an_articles_steps_through_issued_texts_are_read_back_without_their_provisions(login, cast, two_versions):
    first, second = two_versions
    client = login(cast.member_a)
    url = reverse("regulations:article", args=[second.pk, article(second, "2").key])
    drawn = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url).content.decode()
    # The article itself is read (the page's heading and its history); its text in the other version is not.
    read = [query["sql"] for query in queries.captured_queries if 'FROM "regulations_provision"' in query["sql"]]
    assert len(read) == 1 and f'"version_id" = {second.pk}' in read[0].replace("regulations_provision.", "")
    steps = 'class="card">\n  <h2>Qua các phiên bản'
    assert kept[kept.index(steps) :] == drawn[drawn.index(steps) :]
    assert first.number in kept and "<ins>" in kept
    # Its records in the issued text are kept too, until a person is renamed: the author of the import.
    assert not any("historicalprovision" in query["sql"] for query in queries.captured_queries)
    assert f"{cast.office_a.get_full_name()}." in kept
    cast.office_a.last_name = "Đổi Tên"
    cast.office_a.save()
    assert f"{cast.office_a.get_full_name()}." in client.get(url).content.decode()
