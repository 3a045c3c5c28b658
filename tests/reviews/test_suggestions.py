"""Suggested wording: a member proposes text for an article, clause or point; the working group takes it
into the draft in one action (or explains why not), never over a passage changed since."""

import datetime
import threading
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from regulations import editing
from regulations.models import Provision
from reviews import selectors, services
from reviews.models import ArticleChange, Comment, ConsultationRequest, DispositionKind
from tests.amendments import act, draft_article, refresh
from tests.regulations import texts


@pytest.fixture
def consulted(people, at_consultation):
    """The amendment in consultation, member_a and bch_a_0 asked for their opinion."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a, people.btv_a],
    )  # fmt: skip
    return refresh(at_consultation)


def clause(amendment, article_label, label) -> Provision:
    return Provision.objects.get(version=amendment.draft, article__label=article_label, kind="clause", label=label)


def suggest(amendment, user, key, kind="replace", proposed_text="", reason="Cho rõ hơn."):
    return services.suggestion_add(
        amendment=refresh(amendment), user=user, key=key, kind=kind, proposed_text=proposed_text, reason=reason
    )


def to_synthesis(amendment, people):
    """Those still asked answer (with their comments, or none), and the office hands on to the synthesis."""
    for request in ConsultationRequest.objects.filter(amendment=amendment, answered_at__isnull=True):
        commented = request.comments.exists()
        services.request_answer(amendment=refresh(amendment), user=request.user, no_comment=not commented)
    return act(amendment, people.office_a, "submit")


def accept(amendment, user, *comments):
    return services.suggestions_accept(amendment=refresh(amendment), user=user, comment_ids=[c.pk for c in comments])


def body(amendment, label) -> str:
    return editing.article_body(article=draft_article(amendment, label))


def test_it_keeps_a_suggestion_with_its_passage_as_it_reads_now(people, consulted):
    comment = suggest(
        consulted, people.member_a, clause(consulted, "4", "2").key,
        proposed_text="2. Tài liệu hội nghị được gửi trước qua mạng nội bộ ít nhất năm ngày làm việc.",
        reason="Tiết kiệm giấy.",
    )  # fmt: skip
    assert (comment.article_label, comment.provision_label, comment.place_as_seen) == ("4", "khoản 2", "khoản 2 Điều 4")
    assert comment.base_text == "Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất năm ngày làm việc."
    # The label typed before the text is the draft's to give, not part of the wording.
    assert comment.proposed_text == "Tài liệu hội nghị được gửi trước qua mạng nội bộ ít nhất năm ngày làm việc."
    assert comment.text == "Tiết kiệm giấy." and comment.request.user == people.member_a
    assert "<del>cho các đồng chí ủy viên</del> <ins>qua mạng nội bộ</ins>" in comment.suggested_change


FIRST = "Ban Chấp hành họp thường lệ ba tháng một lần, Ban Thường vụ họp mỗi tháng một lần."
SECOND = "Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất năm ngày làm việc."


@pytest.mark.parametrize(
    ("target", "kind", "wording", "expected"),
    [
        ("2", "replace", "Gửi tài liệu qua mạng nội bộ.", f"1. {FIRST}\n2. Gửi tài liệu qua mạng nội bộ."),
        ("1", "insert_after", "Họp bất thường.", f"1. {FIRST}\n2. Họp bất thường.\n3. {SECOND}"),
        ("1", "remove", "", f"1. {SECOND}"),
    ],
)  # fmt: skip
def test_it_applies_each_kind_of_suggestion_on_a_clause_and_takes_it_in(
    people, consulted, target, kind, wording, expected
):
    comment = suggest(consulted, people.member_a, clause(consulted, "4", target).key, kind, wording, "Lý do.")
    amendment = to_synthesis(consulted, people)
    second_key = clause(amendment, "4", "2").key
    [disposition] = accept(amendment, people.office_a, comment)
    assert body(amendment, "4") == expected
    assert disposition.kind == DispositionKind.ACCEPTED and disposition.decided_by == people.office_a
    assert disposition.change.reason == f"Tiếp thu ý kiến của {people.member_a} (khoản {target} Điều 4): Lý do."
    if kind != "remove":  # the clause that continues keeps its identity, whatever its number now
        assert Provision.objects.filter(version=amendment.draft, key=second_key).exists()


def test_it_applies_a_suggestion_on_a_point_and_numbers_the_points_after_it(people, amendment):
    services.draft_article_update(
        amendment=refresh(amendment), user=people.office_a, key=draft_article(amendment, "4").key, heading="Chế độ họp",
        body="1. Ban Chấp hành họp:\na) thường lệ ba tháng một lần;\nb) bất thường khi cần.",
        reason="Tách các trường hợp họp.", expected_revision=0,
    )  # fmt: skip
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    point_a = Provision.objects.get(version=amendment.draft, kind="point", label="a")
    comment = suggest(amendment, people.member_a, point_a.key, "insert_after", "b) chuyên đề theo nghị quyết;")
    assert comment.place_as_seen == "điểm a khoản 1 Điều 4"
    services.request_answer(amendment=refresh(amendment), user=people.member_a)
    amendment = act(amendment, people.office_a, "submit")
    accept(amendment, people.office_a, comment)
    assert body(amendment, "4") == (
        "1. Ban Chấp hành họp:\na) thường lệ ba tháng một lần;\nb) chuyên đề theo nghị quyết;\nc) bất thường khi cần."
    )


def test_it_applies_suggestions_on_whole_articles(people, consulted):
    replace = suggest(consulted, people.member_a, draft_article(consulted, "2").key, "replace", "Tập trung dân chủ.")
    insert = suggest(
        consulted, people.member_a, draft_article(consulted, "1").key, "insert_after",
        "Giải thích từ ngữ\n1. Cấp ủy là Ban Chấp hành Đảng bộ Khối.",
    )  # fmt: skip
    remove = suggest(consulted, people.btv_a, draft_article(consulted, "5").key, "remove")
    amendment = to_synthesis(consulted, people)
    accept(amendment, people.office_a, replace, insert, remove)
    articles = list(
        Provision.objects.filter(version=amendment.draft, kind="article").order_by("position").values_list(
            "label", "heading")
    )  # fmt: skip
    assert [heading for _, heading in articles] == [
        "Phạm vi điều chỉnh", "Giải thích từ ngữ", "Nguyên tắc làm việc", "Trách nhiệm, quyền hạn của Ban Thường vụ",
        "Chế độ họp",
    ]  # fmt: skip
    assert [label for label, _ in articles] == ["1", "2", "3", "4", "5"]
    assert body(amendment, "2") == "1. Cấp ủy là Ban Chấp hành Đảng bộ Khối."
    assert body(amendment, "3") == "Tập trung dân chủ."
    kinds = ArticleChange.objects.filter(amendment=amendment, reason__startswith="Tiếp thu").values_list("kind")
    assert sorted(kind for (kind,) in kinds) == ["added", "modified", "removed"]


def test_it_refuses_a_suggestion_whose_passage_changed_since_and_shows_both_texts(people, consulted):
    comment = suggest(consulted, people.member_a, clause(consulted, "4", "2").key, "replace", "Gửi qua mạng nội bộ.")
    amendment = to_synthesis(consulted, people)
    article = draft_article(amendment, "4")
    services.draft_article_update(
        amendment=refresh(amendment), user=people.office_a, key=article.key, heading=article.heading,
        body=f"1. {FIRST}\n2. Tài liệu gửi trước bảy ngày.", reason="Theo ý kiến BTV.",
        expected_revision=article.revision,
    )  # fmt: skip
    changes = ArticleChange.objects.count()
    with pytest.raises(services.StaleSuggestion) as refused:
        accept(amendment, people.office_a, comment)
    assert refused.value.comment.base_text == SECOND
    assert refused.value.current_text == "Tài liệu gửi trước bảy ngày."
    assert f"Đề nghị của {people.member_a} về khoản 2 Điều 4: đoạn này đã được sửa" in refused.value.messages[0]
    assert body(amendment, "4") == f"1. {FIRST}\n2. Tài liệu gửi trước bảy ngày."
    assert ArticleChange.objects.count() == changes and not hasattr(refresh_comment(comment), "disposition")


def refresh_comment(comment) -> Comment:
    return Comment.objects.select_related("disposition").get(pk=comment.pk)


def test_a_batch_is_all_or_nothing_and_names_the_suggestion_that_failed(people, consulted):
    key = clause(consulted, "4", "2").key
    first = suggest(consulted, people.member_a, draft_article(consulted, "1").key, "replace", "Phạm vi mới.")
    second = suggest(consulted, people.member_a, key, "replace", "Gửi qua mạng nội bộ.")
    third = suggest(consulted, people.btv_a, key, "replace", "Gửi trước bảy ngày.")  # the same clause
    amendment = to_synthesis(consulted, people)
    before = (body(amendment, "1"), body(amendment, "4"), ArticleChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        accept(amendment, people.office_a, first, second, third)
    message = refused.value.messages[0]
    assert message.startswith(f"Đề nghị của {people.btv_a} về khoản 2 Điều 4: đoạn này đã được sửa")
    assert message.endswith("Chưa đề nghị nào được áp dụng.")
    assert (body(amendment, "1"), body(amendment, "4"), ArticleChange.objects.count()) == before
    assert not Comment.objects.filter(disposition__isnull=False).exists()

    accept(amendment, people.office_a, first, second)  # the two that agree go in together
    assert body(amendment, "1") == "Phạm vi mới." and body(amendment, "4").endswith("2. Gửi qua mạng nội bộ.")
    with pytest.raises(ValidationError, match="đã được tiếp thu"):
        accept(amendment, people.office_a, first)
    services.disposition_set(comment=third, user=people.office_a, kind="explained", explanation="Đã tiếp thu ý khác.")
    assert refresh_comment(third).disposition.kind == DispositionKind.EXPLAINED


def test_a_comment_follows_its_clause_when_the_draft_is_renumbered(people, consulted):
    comment = suggest(consulted, people.member_a, clause(consulted, "4", "2").key, "replace", "Gửi qua mạng nội bộ.")
    insert = suggest(consulted, people.btv_a, clause(consulted, "4", "1").key, "insert_after", "Họp bất thường.")
    amendment = to_synthesis(consulted, people)
    services.draft_article_insert(
        amendment=refresh(amendment), user=people.office_a, after_key=None, heading="Mục đích",
        body="Bảo đảm sự lãnh đạo thống nhất.", reason="Nêu mục đích.", parent_id=None,
    )  # fmt: skip
    accept(amendment, people.office_a, insert)  # Điều 4 is Điều 5 now, its khoản 2 is khoản 3
    places = [place for place, _ in selectors.synthesis_rows(amendment)]
    assert places == ["Khoản 1 Điều 5", "Khoản 3 Điều 5"]
    assert comment.place_as_seen == "khoản 2 Điều 4"
    accept(amendment, people.office_a, comment)  # the passage's own text did not change: it still applies
    assert body(amendment, "5") == f"1. {FIRST}\n2. Họp bất thường.\n3. Gửi qua mạng nội bộ."


def test_only_those_asked_suggest_and_only_the_working_group_accepts(people, consulted):
    key = clause(consulted, "4", "2").key
    for stranger in (people.office_child, people.outsider):
        with pytest.raises(PermissionDenied):
            suggest(consulted, stranger, key, "replace", "Tôi không được hỏi.")
    comment = suggest(consulted, people.member_a, key, "replace", "Gửi qua mạng nội bộ.")
    services.request_answer(amendment=refresh(consulted), user=people.member_a)
    with pytest.raises(PermissionDenied):  # the answer is sent: the request is closed
        suggest(consulted, people.member_a, key, "remove")
    amendment = to_synthesis(consulted, people)
    for person in (people.member_a, people.btv_a, people.outsider):
        with pytest.raises(PermissionDenied):
            accept(amendment, person, comment)
    assert Comment.objects.count() == 1 and not Comment.objects.filter(disposition__isnull=False).exists()


@pytest.mark.parametrize(
    ("kind", "wording", "reason", "message"),
    [
        ("replace", "  ", "Lý do.", "Hãy nhập câu chữ đề nghị."),
        ("replace", SECOND, "Lý do.", "giống hệt dự thảo"),
        ("replace", "Mới.", "  ", "Hãy nêu lý do đề nghị."),
        ("rename", "Mới.", "Lý do.", "Hãy chọn sửa câu chữ"),
        ("replace", "Mới.\nĐiều 9. Điều khác", "Lý do.", "là tiêu đề của một điều khác"),
        ("replace", "x" * 50_001, "Lý do.", "tối đa 50.000 ký tự"),
    ],
)
def test_it_refuses_bad_suggestions_with_a_reason_and_saves_nothing(people, consulted, kind, wording, reason, message):
    with pytest.raises(ValidationError, match=message):
        suggest(consulted, people.member_a, clause(consulted, "4", "2").key, kind, wording, reason)
    assert not Comment.objects.exists()


# Pages -----------------------------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, amendment, *args):
    return reverse(f"reviews:{name}", args=[amendment.pk, *args])


def test_it_shows_the_change_word_by_word_before_sending_with_or_without_script(login, people, consulted):
    key = clause(consulted, "4", "2").key
    client = login(people.member_a)
    page = client.get(url("suggest", consulted, key)).content.decode()
    assert "Đề nghị sửa câu chữ: khoản 2 Điều 4" in page
    assert f"{SECOND}</textarea>" in page  # the passage, ready to be edited
    data = {"kind": "replace", "proposed_text": SECOND.replace("năm", "bảy"), "reason": "", "request": ""}

    # As the wording is typed: the difference, and the button that sends it; no page, nothing saved.
    preview = client.post(url("suggest_preview", consulted, key), data, **HTMX).content.decode()
    assert "<del>năm</del> <ins>bảy</ins>" in preview and "Gửi đề nghị" in preview and "<html" not in preview

    # Without script: the form comes back with the difference, then sends once confirmed.
    data["reason"] = "Đủ thời gian nghiên cứu."
    page = client.post(url("suggest", consulted, key), data).content.decode()
    assert "<del>năm</del> <ins>bảy</ins>" in page and 'name="confirm" value="1"' in page
    assert not Comment.objects.exists()
    response = client.post(url("suggest", consulted, key), {**data, "confirm": "1"})
    comment = Comment.objects.get()
    assert response["Location"] == f"{url('draft', consulted)}#y-kien-{comment.pk}"
    draft = client.get(response["Location"]).content.decode()
    assert "Đã lưu đề nghị sửa khoản 2 Điều 4" in draft
    assert "Đề nghị sửa thành khoản 2:" in draft and "<del>năm</del> <ins>bảy</ins>" in draft
    assert "Lý do: Đủ thời gian nghiên cứu." in draft


def test_it_says_in_vietnamese_why_a_suggestion_is_refused_and_saves_nothing(login, people, consulted):
    key = clause(consulted, "4", "2").key
    client = login(people.member_a)
    data = {"kind": "replace", "proposed_text": "Gửi qua mạng.", "reason": " ", "confirm": "1"}
    page = client.post(url("suggest", consulted, key), data).content.decode()
    assert "Hãy nêu lý do đề nghị." in page and "Gửi qua mạng.</textarea>" in page
    preview = client.post(url("suggest_preview", consulted, key), {**data, "proposed_text": ""}, **HTMX)
    assert "Hãy nhập câu chữ đề nghị." in preview.content.decode() and "Gửi đề nghị" not in preview.content.decode()
    page = client.post(url("suggest", consulted, key), {**data, "kind": "rename", "reason": "Lý do."})
    assert page.status_code == 200 and "Gửi đề nghị" not in page.content.decode()
    assert not Comment.objects.exists()


def test_those_not_asked_cannot_suggest(login, people, consulted):
    key = clause(consulted, "4", "2").key
    data = {"kind": "remove", "proposed_text": "", "reason": "Thừa.", "confirm": "1"}
    client = login(people.bithu_a)  # reads the draft, was not asked
    assert client.get(url("suggest", consulted, key)).status_code == 403
    assert client.post(url("suggest", consulted, key), data).status_code == 403
    assert client.post(url("suggest_preview", consulted, key), data, **HTMX).status_code == 403
    client = login(people.outsider)
    assert client.get(url("suggest", consulted, key)).status_code == 404
    assert client.post(url("suggest", consulted, key), data).status_code == 404
    assert login(people.member_a).get(url("suggest", consulted, uuid.uuid4())).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.usefixtures("uncached_header")
def test_the_suggestion_page_reads_the_same_for_any_article(login, people, consulted, django_assert_num_queries):
    client = login(people.member_a)
    for article in (draft_article(consulted, "1"), draft_article(consulted, "4")):
        with django_assert_num_queries(SUGGEST_PAGE_QUERIES):
            assert client.get(url("suggest", consulted, article.key)).status_code == 200


# Session, user, the amendment, the rights read for its buttons, the passage (its whole article in one
# query), and the header's counts: the same for an article of one line or of many clauses.
SUGGEST_PAGE_QUERIES = 10


def test_the_synthesis_shows_suggestions_on_a_passage_together_and_accepts_them(login, people, consulted):
    key = clause(consulted, "4", "2").key
    first = suggest(consulted, people.member_a, key, "replace", "Gửi qua mạng nội bộ.")
    second = suggest(consulted, people.btv_a, key, "remove", reason="Đã có quy chế hội nghị.")
    amendment = to_synthesis(consulted, people)
    client = login(people.office_a)
    page = client.get(url("synthesis", amendment)).content.decode()
    assert page.count('rowspan="2"><strong>Khoản 2 Điều 4</strong>') == 1
    assert "Tiếp thu các đề nghị đã chọn" in page and page.count("Tiếp thu và áp dụng vào dự thảo") == 2

    response = client.post(url("suggestions_accept", amendment), {"comment": [str(first.pk)]}, follow=True)
    page = response.content.decode()
    assert "Đã tiếp thu và áp dụng 1 đề nghị vào dự thảo." in page
    assert body(amendment, "4").endswith("2. Gửi qua mạng nội bộ.")
    assert "Đoạn này đã được sửa sau khi góp ý." in page  # the other one no longer applies as made

    response = client.post(url("suggestions_accept", amendment), {"comment": [str(second.pk)]})
    html = response.content.decode()
    assert response.status_code == 409 and "đoạn này đã được sửa sau khi góp ý" in html
    assert "Khi góp ý" in html and SECOND in html and "Dự thảo hiện nay" in html and "Gửi qua mạng nội bộ." in html
    assert not hasattr(refresh_comment(second), "disposition")


def test_no_one_outside_the_working_group_accepts_even_by_guessing_ids(login, people, consulted, import_text):
    comment = suggest(consulted, people.member_a, clause(consulted, "4", "2").key, "replace", "Gửi qua mạng.")
    amendment = to_synthesis(consulted, people)
    data = {"comment": [str(comment.pk)]}
    assert login(people.member_a).post(url("suggestions_accept", amendment), data).status_code == 403
    assert login(people.outsider).post(url("suggestions_accept", amendment), data).status_code == 404
    # The office of another dossier posting this one's opinion to its own: not found there.
    other = import_text(texts.regulation_text([texts.ARTICLES["scope"]], number="02-QC/ĐUK"))
    theirs = services.amendment_start(regulation=other.regulation, user=people.office_a)
    assert login(people.office_a).post(url("suggestions_accept", theirs), data).status_code in (403, 404)
    assert login(people.office_a).post(url("suggestions_accept", amendment), {"comment": ["x"]}).status_code == 404
    assert body(amendment, "4").endswith(f"2. {SECOND}")
    assert not Comment.objects.filter(disposition__isnull=False).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_accepts_of_conflicting_suggestions_apply_one(people, consulted):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    key = clause(consulted, "4", "2").key
    first = suggest(consulted, people.member_a, key, "replace", "Gửi qua mạng nội bộ.")
    second = suggest(consulted, people.btv_a, key, "replace", "Gửi trước bảy ngày.")
    amendment = to_synthesis(consulted, people)
    barrier, outcomes = threading.Barrier(2), []

    def take_in(comment):  # the office, in two windows
        try:
            barrier.wait()
            accept(amendment, type(people.office_a).objects.get(pk=people.office_a.pk), comment)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=take_in, args=(comment,)) for comment in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1 and any("đoạn này đã được sửa" in outcome for outcome in outcomes), outcomes
    assert body(amendment, "4").endswith(("2. Gửi qua mạng nội bộ.", "2. Gửi trước bảy ngày."))
    assert Comment.objects.filter(disposition__kind="accepted").count() == 1
