"""The BCH's and the BTV's meetings: members counted from the positions, quorum, majority."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organizations import services as organization_services
from organizations.models import Body, BodyKind, Role, Term
from reviews import services
from reviews.models import AmendmentStatus, Event, Stage, StageKind
from reviews.stages import install_meeting_rules
from tests import factories
from tests.amendments import act, edit_meetings_article, meeting, refresh


def at_stage(amendment, people, kind_and_body):
    """Walk the amendment through the process (by the services) until the stage of this kind and body."""
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    services.request_answer(amendment=refresh(amendment), user=people.member_a, no_comment=True)
    act(amendment, people.office_a, "submit")
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    if kind_and_body == (StageKind.DECISION, BodyKind.EXECUTIVE):
        act(amendment, people.btv_a, **meeting(present=2))
    amendment = refresh(amendment)
    assert (amendment.stage.kind, amendment.stage.body_kind) == kind_and_body
    return amendment


def at_bch(amendment, people):
    return at_stage(amendment, people, (StageKind.DECISION, BodyKind.EXECUTIVE))


def seat_in_bch(people, count):
    """More members of A's BCH (it has six: Bí thư, btv_a, member_a and three others)."""
    for _ in range(count):
        factories.seat(factories.UserFactory(), people.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)


def votes(present, votes_for, against=0, abstain=0):
    return meeting(present=present, votes_for=votes_for, votes_against=against, votes_abstain=abstain)


# Meetings ------------------------------------------------------------------------------------


def test_it_refuses_a_bch_meeting_below_two_thirds_saying_the_numbers(people, amendment):
    seat_in_bch(people, 6)  # twelve members: eight are two thirds
    amendment = at_bch(amendment, people)
    with pytest.raises(ValidationError, match=r"Cần ít nhất 8/12 ủy viên có mặt \(hai phần ba\); mới có 7\."):
        act(amendment, people.member_a, **votes(present=7, votes_for=7))
    assert refresh(amendment).status == AmendmentStatus.IN_PROGRESS
    assert not Event.objects.filter(amendment=amendment, votes_for__isnull=False).exists()
    adopted = act(amendment, people.member_a, **votes(present=8, votes_for=7, against=1))
    assert adopted.status == AmendmentStatus.ADOPTED


def test_it_refuses_a_btv_meeting_below_two_thirds(people, amendment):
    for _ in range(3):  # five members of A's BTV: four are two thirds
        factories.seat(factories.UserFactory(), people.a, BodyKind.STANDING, Role.STANDING_MEMBER)
    amendment = at_stage(amendment, people, (StageKind.REVIEW, BodyKind.STANDING))
    with pytest.raises(ValidationError, match=r"Cần ít nhất 4/5 ủy viên có mặt \(hai phần ba\); mới có 2\."):
        act(amendment, people.btv_a, **meeting(present=2))
    assert act(amendment, people.btv_a, **meeting(present=4)).stage.kind == StageKind.DECISION


def test_it_takes_the_quorum_from_the_stage_as_data(people, amendment):
    seat_in_bch(people, 6)
    amendment = at_bch(amendment, people)
    Stage.objects.filter(pk=amendment.stage_id).update(quorum="")  # an office that sets no quorum
    adopted = act(refresh(amendment), people.member_a, **votes(present=7, votes_for=7))
    assert adopted.status == AmendmentStatus.ADOPTED


def test_it_needs_more_than_half_of_all_sitting_members_not_of_those_present(people, amendment):
    seat_in_bch(people, 6)
    amendment = at_bch(amendment, people)
    # Six of the eight present is a majority of those present, not of the twelve members.
    with pytest.raises(ValidationError, match="6/12 ủy viên tán thành, chưa quá một nửa tổng số ủy viên"):
        act(amendment, people.member_a, **votes(present=8, votes_for=6, against=2))
    assert act(amendment, people.member_a, **votes(present=8, votes_for=7, against=1)).is_adopted


def test_it_counts_the_members_itself_so_one_of_one_is_not_a_bch(people, amendment):
    seat_in_bch(people, 6)
    amendment = at_bch(amendment, people)
    with pytest.raises(ValidationError, match="Cần ít nhất 8/12 ủy viên có mặt"):
        act(amendment, people.member_a, **votes(present=1, votes_for=1))
    with pytest.raises(TypeError):  # no typed total to be trusted
        act(amendment, people.member_a, members_total=1, **votes(present=1, votes_for=1))
    with pytest.raises(ValidationError, match=r"Số có mặt \(13\) không thể lớn hơn tổng số ủy viên \(12\)"):
        act(amendment, people.member_a, **votes(present=13, votes_for=12))
    with pytest.raises(ValidationError, match=r"Tổng số phiếu \(10\) lớn hơn số ủy viên có mặt \(9\)"):
        act(amendment, people.member_a, **votes(present=9, votes_for=8, against=1, abstain=1))
    assert refresh(amendment).status == AmendmentStatus.IN_PROGRESS


def test_it_counts_the_members_sitting_on_the_meeting_day(people, amendment):
    amendment = at_bch(amendment, people)
    body = Body.objects.get(organization=people.a, kind=BodyKind.EXECUTIVE)
    term = Term.objects.filter(organization=people.a).current().get()
    today = timezone.localdate()
    left = organization_services.position_create(
        user=factories.UserFactory(), body=body, term=term, role=Role.COMMITTEE_MEMBER, start=term.start,
        end=today - datetime.timedelta(days=3),
    )  # fmt: skip
    organization_services.position_create(
        user=factories.UserFactory(), body=body, term=term, role=Role.COMMITTEE_MEMBER, start=today
    )
    adopted = act(amendment, people.member_a, **votes(present=5, votes_for=4, against=1))  # met yesterday
    assert adopted.events.last().members_total == 6
    assert services.members_of(adopted.stage, people.a, left.end) == 7
    assert services.members_of(adopted.stage, people.a, today) == 7


def test_it_gives_the_default_stages_their_meeting_rules(stages):
    Stage.objects.update(quorum="", general_meeting=False)
    Stage.objects.filter(organization_kind="bloc", order=7).update(name="Hội nghị Ban Chấp hành Đảng bộ Khối")
    install_meeting_rules(Stage)
    quorate = Stage.objects.filter(quorum="2/3")
    assert {(s.organization_kind, s.body_kind) for s in quorate} == {
        (kind, body) for kind in ("provincial", "district", "bloc") for body in ("standing", "executive")
    } | {("grassroots_committee", "executive")}
    assert set(Stage.objects.filter(general_meeting=True).values_list("organization_kind", flat=True)) == {
        "cell", "grassroots_cell", "sub_committee"
    }  # fmt: skip
    assert not Stage.objects.filter(organization_kind="party_delegation").exclude(quorum="").exists()


# The transition form -------------------------------------------------------------------------


def test_it_keeps_what_was_typed_when_the_meeting_is_refused(login, people, amendment):
    seat_in_bch(people, 6)
    amendment = at_bch(amendment, people)
    client = login(people.member_a)
    page = client.get(reverse("reviews:detail", args=[amendment.pk])).content.decode()
    assert "có 12 ủy viên" in page and "cần ít nhất 8 ủy viên có mặt" in page and "ít nhất 7 ủy viên tán thành" in page
    assert 'name="members_total"' not in page
    response = client.post(
        reverse("reviews:transition", args=[amendment.pk]),
        {"action": "approve", "stage": amendment.stage_id, "comment": "Hội nghị lần thứ 5.", **votes(7, 6, 1)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cần ít nhất 8/12 ủy viên có mặt (hai phần ba); mới có 7." in page
    for name, value in (("members_present", 7), ("votes_for", 6), ("votes_against", 1), ("votes_abstain", 0)):
        assert f'name="{name}" value="{value}"' in page, name
    assert "Hội nghị lần thứ 5.</textarea>" in page
    assert refresh(amendment).status == AmendmentStatus.IN_PROGRESS


def test_it_asks_again_before_not_adopting(login, people, amendment):
    amendment = at_bch(amendment, people)
    client = login(people.member_a)
    url = reverse("reviews:transition", args=[amendment.pk])
    reject = {"action": "reject", "stage": amendment.stage_id, **votes(5, 2, against=3)}
    page = client.post(url, reject).content.decode()
    assert "Cần ghi rõ lý do không thông qua." in page and "Xác nhận không thông qua" not in page
    page = client.post(url, {**reject, "comment": "Chưa phù hợp Quy định 232."}).content.decode()
    assert "Xác nhận không thông qua" in page and "Lý do: Chưa phù hợp Quy định 232." in page
    assert refresh(amendment).status == AmendmentStatus.IN_PROGRESS
    response = client.post(url, {**reject, "comment": "Chưa phù hợp Quy định 232.", "confirm": "1"})
    assert response.status_code == 302
    rejected = refresh(amendment)
    assert rejected.status == AmendmentStatus.REJECTED
    assert (rejected.events.last().members_total, rejected.events.last().votes_against) == (6, 3)
