import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from reviews import services
from tests.amendments import draft_article, refresh


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
