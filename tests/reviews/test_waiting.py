"""Đang chờ: on every dossier, whom it waits for now (the body and its members by name, those asked who have not
answered), since its last event, by which date; the same in the list of dossiers and in the API."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from reviews import selectors, services
from reviews.models import StageKind
from tests.amendments import act, at_stage, edit_meetings_article, meeting, refresh

DAY = datetime.timedelta(days=1)


def waiting(amendment):
    return selectors.waiting_for(refresh(amendment))


def name(user) -> str:
    return user.get_full_name()


def test_it_waits_for_the_working_group_while_drafting(people, amendment):
    found = waiting(amendment)
    assert (found.on, found.body, found.due, found.not_answered_count) == ("working_group", "Tổ công tác", None, 0)
    assert found.people == (name(people.office_a),)
    assert found.since == amendment.events.get().at


def test_it_waits_for_thuong_truc_and_names_its_members_since_the_submission(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    with time_machine.travel(timezone.now() + 2 * DAY):
        act(amendment, people.office_a, "submit")
    found = waiting(amendment)
    assert (found.on, found.body) == ("body", "Thường trực")
    assert found.people == ("Nguyễn Văn Long",)  # bithu_a, the only member of A's Thường trực
    assert found.since == refresh(amendment).events.latest("at", "pk").at
    assert timezone.localtime(found.since).date() == timezone.localdate() + 2 * DAY


def test_during_consultation_it_waits_for_those_who_have_not_answered_by_the_due_date(people, at_consultation):
    soon, later = timezone.localdate() + 5 * DAY, timezone.localdate() + 9 * DAY
    bch = type(people.office_a).objects.get(username="bch_a_0")
    services.requests_create(amendment=at_consultation, user=people.office_a, due=soon, users=[people.member_a, bch])
    services.requests_create(
        amendment=refresh(at_consultation), user=people.office_a, due=later, organizations=[people.a_child]
    )
    services.request_answer(amendment=refresh(at_consultation), user=people.member_a, no_comment=True)

    found = waiting(at_consultation)
    assert (found.on, found.not_answered_count, found.due) == ("asked", 2, later)
    assert set(found.people) == {name(bch), "Đảng bộ Sở Tư pháp"}
    assert name(people.member_a) not in found.people

    services.request_answer(amendment=refresh(at_consultation), user=bch, no_comment=True)
    services.request_answer(amendment=refresh(at_consultation), user=people.office_child, no_comment=True)
    found = waiting(at_consultation)  # all answered: the working group hands it on
    assert (found.on, found.body, found.not_answered_count, found.due) == ("working_group", "Tổ công tác", 0, None)


def test_before_any_request_is_sent_the_consultation_waits_for_the_working_group(people, at_consultation):
    assert at_consultation.stage.kind == StageKind.CONSULTATION
    assert waiting(at_consultation).on == "working_group"


def test_at_the_decision_it_waits_for_the_bch_and_names_each_member_once(people, amendment):
    amendment = at_stage(amendment, people, (StageKind.DECISION, "executive"))
    found = waiting(amendment)
    assert (found.on, found.body) == ("body", "Ban Chấp hành")
    members = {
        people.btv_a,
        people.member_a,
        people.bithu_a,
        *type(people.btv_a).objects.filter(username__startswith="bch_a_"),
    }
    assert sorted(found.people) == sorted(name(member) for member in members)  # the Bí thư once, for three bodies


def test_an_adopted_text_waits_for_the_office_and_an_ended_dossier_for_no_one(people, amendment):
    amendment = at_stage(amendment, people, (StageKind.DECISION, "executive"))
    act(amendment, people.bithu_a, **meeting(present=6, votes_for=6, votes_against=0, votes_abstain=0))
    found = waiting(amendment)
    assert (found.on, found.body, found.people) == ("issuer", "Văn phòng", (name(people.office_a),))


def test_a_dossier_not_adopted_waits_for_no_one(people, amendment):
    amendment = at_stage(amendment, people, (StageKind.REVIEW, "standing"))
    act(amendment, people.btv_a, "reject", comment="Chưa cần thiết.", **meeting(present=2))
    assert waiting(amendment) is None


def test_the_dossier_page_shows_the_block_at_the_top(login, people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    page = login(people.member_a).get(reverse("reviews:detail", args=[amendment.pk])).content.decode()
    block = page[page.index('id="dang-cho"') : page.index("Quy trình")]
    assert "Thường trực</strong> Đảng ủy Khối Cơ quan thử nghiệm" in block
    assert "Nguyễn Văn Long" in block
    assert f"Từ {timezone.localtime(amendment.events.latest('at', 'pk').at):%H:%M %d/%m/%Y}" in block


def test_the_list_and_the_api_say_whom_each_dossier_waits_for(login, people, at_consultation):
    due = timezone.localdate() + 4 * DAY
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=due, users=[people.member_a],
        organizations=[people.a_child],
    )  # fmt: skip
    page = login(people.btv_a).get(reverse("reviews:list")).content.decode()
    assert f"2 nơi chưa trả lời, hạn {due:%d/%m/%Y}" in page

    client = APIClient()
    client.force_authenticate(people.btv_a)
    [row] = client.get("/api/amendments/").json()["results"]
    assert row["waiting_for"]["on"] == "asked"
    assert row["waiting_for"]["body"] == "Nơi được lấy ý kiến chưa trả lời"
    assert (row["waiting_for"]["not_answered_count"], row["waiting_for"]["due"]) == (2, due.isoformat())
    assert "people" not in row["waiting_for"]
    detail = client.get(f"/api/amendments/{at_consultation.pk}/").json()
    assert set(detail["waiting_for"]["people"]) == {name(people.member_a), "Đảng bộ Sở Tư pháp"}
    since = datetime.datetime.fromisoformat(detail["waiting_for"]["since"])
    assert since == refresh(at_consultation).events.latest("at", "pk").at


def test_an_outsider_reads_no_waiting_of_another_committee(people, at_consultation):
    client = APIClient()
    client.force_authenticate(people.outsider)
    assert client.get(f"/api/amendments/{at_consultation.pk}/").status_code == 404
    assert client.get("/api/amendments/").json()["results"] == []


@pytest.mark.parametrize("hour", ["23:30", "00:30"])
def test_the_time_it_waits_since_is_local(login, people, amendment, hour):
    edit_meetings_article(amendment, people.office_a)
    day = timezone.localdate() + 10 * DAY
    with time_machine.travel(f"{day} {hour} +07:00", tick=False):
        act(amendment, people.office_a, "submit")
        page = login(people.member_a).get(reverse("reviews:list")).content.decode()
    assert f"từ {day:%d/%m/%Y}" in page
