import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from regulations.models import Provision
from reviews import services
from tests.amendments import act, draft_article, refresh


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_it_lists_amendments_by_regulation_and_stage(people, amendment):
    rows = api(people.member_a).get("/api/amendments/", {"regulation": amendment.regulation_id}).json()["results"]
    assert [(r["id"], r["status"], r["stage"]) for r in rows] == [
        (amendment.pk, "in_progress", "1. Tổ công tác soạn thảo dự thảo")
    ]
    assert api(people.member_a).get("/api/amendments/", {"stage": amendment.stage_id + 1}).json()["results"] == []


def test_it_answers_400_in_vietnamese_to_an_id_that_is_not_a_number(people):
    response = api(people.member_a).get("/api/amendments/", {"stage": "x"})
    assert response.status_code == 400 and response.json() == {"stage": ["Mã bước phải là số."]}
    response = api(people.member_a).get("/api/amendments/", {"regulation": "abc", "stage": "1.5"})
    assert response.status_code == 400
    assert response.json() == {"regulation": ["Mã quy chế phải là số."], "stage": ["Mã bước phải là số."]}


def test_it_returns_an_amendment_with_dossier_events_requests_and_comments(people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=2),
        users=[people.member_a],
    )  # fmt: skip
    services.comment_add(
        amendment=refresh(at_consultation), user=people.member_a, text="Ý kiến về điều 4.",
        article_key=draft_article(at_consultation, "4").key,
    )  # fmt: skip
    data = api(people.superior_btv).get(f"/api/amendments/{at_consultation.pk}/").json()
    assert data["dossier"]["reason"] == "<p>Cập nhật theo Quy định 294-QĐ/TW.</p>"
    assert [e["action"] for e in data["events"]] == ["create", "submit", "approve"]
    assert data["requests"][0]["recipient"] == str(people.member_a) and data["requests"][0]["answered_at"] is None
    assert data["comments"][0]["article_label"] == "4" and data["comments"][0]["disposition"] is None


def test_it_hides_an_amendment_from_someone_not_consulted_outside_the_organization(people, at_consultation):
    assert api(people.outsider).get(f"/api/amendments/{at_consultation.pk}/").status_code == 404
    # A subordinate's office, once asked, sees the amendment it must answer, and only that.
    assert api(people.office_child).get(f"/api/amendments/{at_consultation.pk}/").status_code == 404
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate(), organizations=[people.a_child]
    )
    assert api(people.office_child).get(f"/api/amendments/{at_consultation.pk}/").status_code == 200


def test_the_total_is_kept_per_reader_and_follows_what_they_may_read(people, at_consultation):
    """The list's total is kept between requests (quyche.api.Pagination); a consultation that opens a dossier
    to someone shows in their total at once, and nobody's total is another's."""
    office = api(people.office_child)
    assert office.get("/api/amendments/").json()["count"] == 0
    assert office.get("/api/amendments/").json()["count"] == 0  # kept
    assert api(people.member_a).get("/api/amendments/").json()["count"] == 1
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate(), organizations=[people.a_child]
    )
    page = office.get("/api/amendments/").json()
    assert page["count"] == 1 and [row["id"] for row in page["results"]] == [at_consultation.pk]
    assert office.get("/api/amendments/", {"stage": at_consultation.stage_id + 1}).json()["count"] == 0


def test_it_gives_suggestions_with_their_wording_and_whether_their_passage_changed(people, at_consultation):
    """A suggestion in the API: its kind, passage, wording and the text it was made on; once the passage is edited,
    `passage_changed` says so; an organization's opinion names the organization."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=2),
        users=[people.member_a], organizations=[people.a_child],
    )  # fmt: skip
    article = draft_article(at_consultation, "4")
    clause = Provision.objects.get(version=at_consultation.draft, article=article, kind="clause", label="2")
    services.suggestion_add(
        amendment=refresh(at_consultation), user=people.member_a, key=clause.key, kind="replace",
        proposed_text="Tài liệu hội nghị được gửi trước ít nhất bảy ngày làm việc.", reason="Đủ thời gian nghiên cứu.",
    )  # fmt: skip
    services.comment_add(amendment=refresh(at_consultation), user=people.office_child, text="Thống nhất.")
    data = api(people.superior_btv).get(f"/api/amendments/{at_consultation.pk}/").json()
    suggestion, opinion = data["comments"]
    assert suggestion["suggestion"] == "replace" and suggestion["provision_label"] == "khoản 2"
    assert suggestion["provision_key"] == str(clause.key) and suggestion["article_label"] == "4"
    assert suggestion["proposed_text"] == "Tài liệu hội nghị được gửi trước ít nhất bảy ngày làm việc."
    assert suggestion["base_text"] == clause.text and suggestion["text"] == "Đủ thời gian nghiên cứu."
    assert suggestion["passage_changed"] is False and suggestion["disposition"] is None
    assert suggestion["on_behalf_of"] is None
    assert opinion["suggestion"] == "" and opinion["passage_changed"] is None
    assert opinion["on_behalf_of"] == people.a_child.name

    services.request_answer(amendment=refresh(at_consultation), user=people.member_a)
    services.request_answer(amendment=refresh(at_consultation), user=people.office_child)
    act(at_consultation, people.office_a, "submit")
    services.draft_article_update(
        amendment=refresh(at_consultation), user=people.office_a, key=article.key, heading=article.heading,
        body="1. Ban Chấp hành họp thường lệ ba tháng một lần.\n2. Tài liệu được gửi trước mười ngày.",
        reason="Theo ý kiến Thường trực.", expected_revision=draft_article(at_consultation, "4").revision,
    )  # fmt: skip
    data = api(people.superior_btv).get(f"/api/amendments/{at_consultation.pk}/").json()
    assert data["comments"][0]["passage_changed"] is True


def test_it_reads_an_amendment_with_its_suggestions_in_a_fixed_number_of_queries(
    people, at_consultation, django_assert_max_num_queries
):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=2),
        users=[people.member_a],
    )  # fmt: skip
    article = draft_article(at_consultation, "4")
    for label in ("1", "2"):
        clause = Provision.objects.get(version=at_consultation.draft, article=article, kind="clause", label=label)
        services.suggestion_add(
            amendment=refresh(at_consultation), user=people.member_a, key=clause.key, kind="remove",
            proposed_text="", reason=f"Bỏ khoản {label}.",
        )  # fmt: skip
    client = api(people.superior_btv)
    client.get(f"/api/amendments/{at_consultation.pk}/")  # the header's counts kept
    with django_assert_max_num_queries(20) as captured:
        data = client.get(f"/api/amendments/{at_consultation.pk}/").json()
    assert [c["passage_changed"] for c in data["comments"]] == [False, False]
    once = len(captured)
    services.suggestion_add(
        amendment=refresh(at_consultation), user=people.member_a, key=article.key, kind="remove", proposed_text="",
        reason="Bỏ cả điều.",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as again:
        assert len(client.get(f"/api/amendments/{at_consultation.pk}/").json()["comments"]) == 3
    assert len(again) == once
