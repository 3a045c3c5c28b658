"""The BCH's and the BTV's meetings (members counted from the positions, quorum, majority) and issuance
(a number once per organization and year, the signer, a preview before the irreversible step)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from organizations import services as organization_services
from organizations.models import Body, BodyKind, Role, Term
from regulations import services as regulation_services
from regulations.models import RegisteredNumber, Version, VersionStatus
from reviews import services
from reviews.models import AmendmentStatus, Event, Stage, StageKind
from reviews.stages import install_meeting_rules
from tests import factories
from tests.amendments import act, at_stage, issue_values, meeting, refresh
from tests.pdf import poppler
from tests.regulations import texts


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


@pytest.mark.parametrize("hour", ["23:30", "00:30"])
def test_it_takes_a_meeting_held_today_at_any_hour(people, amendment, hour):
    """Half past midnight in Hà Nội is still the day before in UTC: today's meeting is not in the future.

    The meeting is tomorrow, so the travel goes forward from the dossier's earlier steps whatever the hour the
    suite runs at (travelling to 23:30 today would go back in time after 23:30, and the vote would not be last)."""
    amendment = at_bch(amendment, people)
    day = timezone.localdate() + datetime.timedelta(days=1)
    vote = {"members_present": 5, "votes_for": 5, "votes_against": 0, "votes_abstain": 0}
    with time_machine.travel(f"{day:%Y-%m-%d} {hour} +07:00", tick=False):
        with pytest.raises(ValidationError, match="Ngày họp không thể sau hôm nay"):
            act(amendment, people.member_a, meeting_date=day + datetime.timedelta(days=1), **vote)
        adopted = act(amendment, people.member_a, meeting_date=day, **vote)
    assert (adopted.events.last().meeting_date, adopted.events.last().members_total) == (day, 6)


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


# Issuance ------------------------------------------------------------------------------------


@pytest.fixture
def adopted(people, amendment):
    return act(at_bch(amendment, people), people.member_a, **votes(present=5, votes_for=5))


def imported(people, *, number, day, organization=None, kind=None):
    """Another text issued by an organization, as the office imports it."""
    text = texts.regulation_text([texts.ARTICLES["scope"]], number=number, date=(day.day, day.month, day.year))
    return regulation_services.regulation_import(
        text=text, user=None, organization=organization or people.a, kind=kind
    ).version


def test_it_suggests_the_next_free_number_of_the_organization_kind_and_year(login, people, adopted):
    today = timezone.localdate()
    assert services.issue_number(adopted, on=today) == ("01-QC/ĐUK", False)  # 01-QC/ĐUK was last year's
    imported(people, number="09-QC/ĐUK", day=today, kind="inspection_rules")
    imported(people, number="15-CTr/ĐUK", day=today, kind="inspection_program")
    imported(people, number="12-QC/ĐU", day=today, organization=people.a_child)
    page = login(people.office_a).get(reverse("reviews:issue", args=[adopted.pk])).content.decode()
    assert "<strong>10-QC/ĐUK</strong> (dự kiến)" in page


@pytest.mark.parametrize("moment", ["31/12 23:30", "01/01 00:30"])
def test_it_suggests_and_issues_in_the_local_year_at_any_hour(login, people, adopted, moment):
    """On New Year's night the number series and the issue date follow Hà Nội's calendar, not UTC's."""
    year = timezone.localdate().year
    imported(people, number="09-QC/ĐUK", day=datetime.date(year, 1, 1), kind="inspection_rules")
    day, number = (
        (datetime.date(year, 12, 31), "10-QC/ĐUK")
        if moment == "31/12 23:30"
        else (datetime.date(year + 1, 1, 1), "01-QC/ĐUK")
    )
    url = reverse("reviews:issue", args=[adopted.pk])
    with time_machine.travel(f"{day:%Y-%m-%d} {moment[-5:]} +07:00", tick=False):
        client = login(people.office_a)
        page = client.get(url).content.decode()
        assert f"<strong>{number}</strong>" in page and f'name="issued" value="{day:%Y-%m-%d}"' in page
        form = {name: str(value) for name, value in issue_values(adopted).items()}
        client.post(url, {**form, "confirm": "1"})
    version = Version.objects.get(pk=adopted.draft_id)
    assert (version.number, version.issued, version.issued_year) == (number, day, day.year)


def test_it_suggests_the_secretary_in_office_on_the_day_as_signer(login, people, adopted):
    page = login(people.office_a).get(reverse("reviews:issue", args=[adopted.pk])).content.decode()
    assert 'name="signer_authority" value="T/M BAN CHẤP HÀNH"' in page
    assert 'name="signer_position" value="BÍ THƯ"' in page
    assert 'name="signer_name" value="Nguyễn Văn Long"' in page
    # A new Bí thư from today: the one before signs only what was issued before.
    today = timezone.localdate()
    term = Term.objects.filter(organization=people.a).current().get()
    people.a.bodies.get(kind=BodyKind.EXECUTIVE).positions.filter(role=Role.SECRETARY).update(
        end=today - datetime.timedelta(days=1)
    )
    successor = factories.UserFactory(last_name="Trần Thị", first_name="Hoa")
    organization_services.position_create(
        user=successor, body=people.a.bodies.get(kind=BodyKind.EXECUTIVE), term=term, role=Role.SECRETARY, start=today
    )
    assert services.issue_defaults(adopted, on=today)["signer_name"] == "Trần Thị Hoa"
    assert services.issue_defaults(adopted, on=today - datetime.timedelta(days=1))["signer_name"] == "Nguyễn Văn Long"


def test_it_needs_a_signer_and_stores_exactly_the_one_confirmed(people, adopted):
    values = issue_values(adopted)
    with pytest.raises(ValidationError) as refused:
        services.amendment_issue(
            amendment=adopted, user=people.office_a, **{**values, "signer_name": " ", "signer_authority": ""}
        )
    assert set(refused.value.message_dict) == {"signer_name", "signer_authority"}
    assert refresh(adopted).status == AmendmentStatus.ADOPTED
    signed = {"signer_authority": "KT. BÍ THƯ", "signer_position": "PHÓ BÍ THƯ", "signer_name": "Trần Thị Hoa"}
    issued = services.amendment_issue(amendment=adopted, user=people.office_a, **{**values, **signed})
    version = Version.objects.get(pk=issued.draft_id)
    assert {name: getattr(version, name) for name in signed} == signed
    printed = poppler.text(regulation_services.version_pdf_store(version=version).pdf.read())
    assert "Trần Thị Hoa" in printed and "Nguyễn Văn Long" not in printed  # not the text in force's signer


def test_it_keeps_a_number_once_per_organization_and_year_in_the_database(people, in_force):
    day = timezone.localdate()
    imported(people, number="05-QC/ĐUK", day=day, kind="inspection_rules")
    with pytest.raises(ValidationError, match="Số 05-QC/ĐUK đã được dùng cho"):
        imported(people, number="05-QC/ĐUK", day=day, kind="coordination")
    duplicate = Version(
        regulation=in_force.regulation, status=VersionStatus.IN_FORCE, number="05-QC/ĐUK", issued=day,
        issuing_organization=people.a, kind="model",
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # The same number another year, or given by another organization, is another document.
    imported(people, number="05-QC/ĐUK", day=datetime.date(day.year - 1, 6, 1), kind="coordination")
    imported(people, number="05-QC/ĐUK", day=day, organization=people.a_child)
    assert Version.objects.filter(number="05-QC/ĐUK").count() == 3


def test_it_reserves_the_number_previews_then_issues_on_confirmation_only(login, people, adopted):
    client = login(people.office_a)
    url = reverse("reviews:issue", args=[adopted.pk])
    form = {name: str(value) for name, value in issue_values(adopted).items()}
    page = client.post(url, form).content.decode()
    assert "Kiểm tra lại trước khi ban hành" in page and "01-QC/ĐUK (dự kiến, cấp khi ban hành)" in page
    assert refresh(adopted).status == AmendmentStatus.ADOPTED and refresh(adopted).draft.is_draft

    # Issuance starts: the register holds the number for this text; asking again keeps the same one.
    client.post(url, {"reserve": "1"})
    client.post(url, {"reserve": "1"})
    held = RegisteredNumber.objects.get(organization=people.a, year=timezone.localdate().year)
    assert (held.number, held.status, held.version_id) == ("01-QC/ĐUK", "reserved", adopted.draft_id)
    assert "<strong>01-QC/ĐUK</strong>, đã giữ" in client.get(url).content.decode()

    preview = reverse("reviews:issue_preview", args=[adopted.pk])
    response = client.get(preview, form)
    text = poppler.text(b"".join(response.streaming_content))
    assert "BẢN XEM TRƯỚC" in text and "Số 01-QC/ĐUK" in text and "Nguyễn Văn Long" in text
    draft = refresh(adopted).draft
    assert draft.is_draft and draft.number == "" and not draft.pdf

    # A text imported with the held number is refused: the number belongs to this one.
    with pytest.raises(ValidationError, match="Số 01-QC/ĐUK trong sổ đăng ký văn bản năm .* đã giữ số"):
        imported(people, number="01-QC/ĐUK", day=timezone.localdate(), kind="inspection_rules")

    response = client.post(url, {**form, "confirm": "1"})
    assert response["Location"] == reverse("regulations:version", args=[adopted.draft_id])
    assert refresh(adopted).status == AmendmentStatus.ISSUED
    assert Version.objects.get(pk=adopted.draft_id).number == "01-QC/ĐUK"
    held.refresh_from_db()
    assert (held.status, held.issued, held.signer) == ("confirmed", timezone.localdate(), "Nguyễn Văn Long")


def test_it_refuses_the_issue_pages_to_anyone_but_the_office(login, people, adopted):
    form = {name: str(value) for name, value in issue_values(adopted).items()}
    for user in (people.bithu_a, people.member_a):
        client = login(user)
        assert client.get(reverse("reviews:issue_preview", args=[adopted.pk]), form).status_code == 403
        assert client.post(reverse("reviews:issue", args=[adopted.pk]), {**form, "confirm": "1"}).status_code == 403
    assert login(people.outsider).get(reverse("reviews:issue_preview", args=[adopted.pk]), form).status_code == 404
    assert refresh(adopted).status == AmendmentStatus.ADOPTED
