import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.utils import IntegrityError
from django.utils import timezone

from organizations import access
from organizations.models import BodyKind
from regulations import services as regulation_services
from regulations.access import can_view_regulation
from reviews import access as amendment_access
from reviews import selectors as review_selectors
from reviews import services
from reviews.models import Amendment, AmendmentStatus, Disposition, Event, Stage, StageKind
from tests import factories
from tests.amendments import (
    act,
    at_stage,
    at_synthesis_with_a_comment,
    edit_meetings_article,
    issue_values,
    meeting,
    refresh,
)
from tests.regulations import texts


def at_decision(amendment, people):
    """Walk the amendment to the BCH's vote, the way the process goes."""
    return at_stage(amendment, people, (StageKind.DECISION, BodyKind.EXECUTIVE))


def test_it_allows_one_open_amendment_per_text(people, amendment, in_force):
    with pytest.raises(ValidationError, match="đang có một hồ sơ sửa đổi chưa kết thúc"):
        services.amendment_start(regulation=in_force.regulation, user=people.office_a)
    draft = regulation_services.version_create_empty_draft(regulation=in_force.regulation, user=None)
    with pytest.raises(IntegrityError):  # and the database agrees
        Amendment.objects.create(
            regulation=in_force.regulation, base_version=in_force, draft=draft, title="x", stage=amendment.stage,
            stage_entered_at=timezone.now(), created_by=people.office_a,
        )  # fmt: skip


def test_it_lets_only_the_office_start_an_amendment(people, in_force):
    for user in (people.btv_a, people.member_a, people.superior_btv, people.outsider):
        with pytest.raises(PermissionDenied):
            services.amendment_start(regulation=in_force.regulation, user=user)
    assert not Amendment.objects.exists()


def test_it_refuses_to_hand_on_a_draft_without_changes(people, amendment):
    with pytest.raises(ValidationError, match="chưa có thay đổi nào"):
        act(amendment, people.office_a, "submit")
    assert refresh(amendment).stage.kind == StageKind.DRAFTING


def test_it_lets_only_the_stages_body_act(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")  # now at Thường trực
    for user in (people.office_a, people.btv_a, people.member_a, people.superior_btv, people.outsider):
        with pytest.raises(PermissionDenied, match="không thuộc cơ quan thực hiện bước này"):
            act(amendment, user)
    assert Event.objects.filter(amendment=amendment).count() == 2


def test_it_needs_a_comment_to_return_or_reject_and_returns_to_drafting(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    with pytest.raises(ValidationError, match="Cần ghi rõ nội dung yêu cầu chỉnh sửa"):
        act(amendment, people.bithu_a, "return")
    returned = act(amendment, people.bithu_a, "return", comment="Đề nghị bổ sung họp trực tuyến.")
    assert returned.stage.kind == StageKind.DRAFTING
    assert returned.events.last().comment == "Đề nghị bổ sung họp trực tuyến."


def test_it_refuses_an_adoption_without_a_majority_of_sitting_members(people, amendment):
    amendment = at_decision(amendment, people)  # A's BCH has six members
    with pytest.raises(ValidationError, match="3/6 ủy viên tán thành, chưa quá một nửa tổng số ủy viên"):
        act(amendment, people.member_a, **meeting(present=5, votes_for=3, votes_against=2, votes_abstain=0))
    with pytest.raises(ValidationError, match="Số có mặt \\(7\\) không thể lớn hơn tổng số ủy viên \\(6\\)"):
        act(amendment, people.member_a, **meeting(present=7, votes_for=5, votes_against=0, votes_abstain=0))
    with pytest.raises(ValidationError, match="cần ghi ngày họp"):
        act(amendment, people.member_a, votes_for=5)
    amendment = refresh(amendment)
    assert amendment.stage.kind == StageKind.DECISION and amendment.status == AmendmentStatus.IN_PROGRESS
    adopted = act(amendment, people.member_a, **meeting(present=5, votes_for=4, votes_against=1, votes_abstain=0))
    assert adopted.status == AmendmentStatus.ADOPTED


def test_it_refuses_to_close_consultation_while_answers_are_due(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    with pytest.raises(ValidationError, match="Chưa gửi phiếu lấy ý kiến nào"):
        act(amendment, people.office_a, "submit")
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=3),
        users=[people.member_a], organizations=[people.a_child],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Còn 2 nơi chưa trả lời") as error:
        act(amendment, people.office_a, "submit")
    assert "kết thúc lấy ý kiến trước hạn" in error.value.messages[0]  # and where to go instead


@pytest.fixture
def consulting(people, at_consultation):
    """Asked: member_a (who answers) and A's đảng bộ cơ sở (which does not), both due in three days."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=3),
        users=[people.member_a], organizations=[people.a_child],
    )  # fmt: skip
    services.comment_add(amendment=refresh(at_consultation), user=people.member_a, text="Đồng ý với dự thảo.")
    services.request_answer(amendment=refresh(at_consultation), user=people.member_a)
    return refresh(at_consultation)


def test_the_office_closes_the_consultation_early_with_a_recorded_reason(people, consulting):
    assert review_selectors.awaiting_count(people.office_child) == 1
    amendment = services.consultation_close(
        amendment=consulting, user=people.office_a, reason="Ban Thường vụ họp sớm theo chỉ đạo của Thành ủy."
    )
    assert (amendment.stage.kind, amendment.status) == (StageKind.SYNTHESIS, AmendmentStatus.IN_PROGRESS)
    event = amendment.events.order_by("pk").last()
    assert (event.actor, event.action, event.from_stage.kind, event.to_stage.kind) == (
        people.office_a, "submit", StageKind.CONSULTATION, StageKind.SYNTHESIS
    )  # fmt: skip
    assert event.comment == (
        "Kết thúc lấy ý kiến trước hạn; 1 nơi chưa trả lời: Đảng bộ Sở Tư pháp. "
        "Lý do: Ban Thường vụ họp sớm theo chỉ đạo của Thành ủy."
    )
    # The đảng bộ's office is no longer asked: nothing waits for it, it may not comment any more.
    assert review_selectors.awaiting_count(people.office_child) == 0
    assert not amendment_access.can_comment(people.office_child, refresh(amendment))
    assert amendment.requests.get(organization=people.a_child).answered_at is None


def test_closing_the_consultation_early_needs_a_reason_the_office_and_someone_still_waited_for(people, consulting):
    with pytest.raises(ValidationError, match="Cần ghi rõ lý do"):
        services.consultation_close(amendment=consulting, user=people.office_a, reason="  ")
    for user in (people.bithu_a, people.member_a, people.outsider):
        with pytest.raises(PermissionDenied):
            services.consultation_close(amendment=refresh(consulting), user=user, reason="Họp sớm.")
    assert refresh(consulting).stage.kind == StageKind.CONSULTATION and consulting.events.count() == 3
    services.request_answer(amendment=refresh(consulting), user=people.office_child, no_comment=True)
    with pytest.raises(ValidationError, match="Không còn nơi nào đang chờ trả lời"):
        services.consultation_close(amendment=refresh(consulting), user=people.office_a, reason="Họp sớm.")
    act(consulting, people.office_a, "submit")  # nobody is waited for: handed on as usual
    with pytest.raises(ValidationError, match="không còn ở bước lấy ý kiến"):
        services.consultation_close(amendment=refresh(consulting), user=people.office_a, reason="Họp sớm.")


def test_it_refuses_requests_to_people_and_organizations_outside(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    due = timezone.localdate() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError, match="Không phải thành viên"):
        services.requests_create(amendment=refresh(amendment), user=people.office_a, due=due, users=[people.outsider])
    with pytest.raises(ValidationError, match="Không phải tổ chức trực thuộc"):
        services.requests_create(amendment=refresh(amendment), user=people.office_a, due=due, organizations=[people.b])
    with pytest.raises(ValidationError, match="Hạn trả lời không thể trước hôm nay"):
        services.requests_create(
            amendment=refresh(amendment), user=people.office_a, due=due - datetime.timedelta(days=30),
            users=[people.member_a],
        )  # fmt: skip
    assert not refresh(amendment).requests.exists()


def test_it_needs_every_comment_disposed_and_an_explanation_for_each_refusal(people, amendment):
    comment = at_synthesis_with_a_comment(amendment, people)
    with pytest.raises(ValidationError, match="Còn 1 ý kiến chưa được tiếp thu hoặc giải trình"):
        act(amendment, people.office_a, "submit")
    with pytest.raises(ValidationError, match="Giải trình cần nêu rõ lý do"):
        services.disposition_set(comment=comment, user=people.office_a, kind="explained", explanation=" ")
    assert not Disposition.objects.exists()
    services.disposition_set(
        comment=comment, user=people.office_a, kind="explained", explanation="Điều lệ quy định ba tháng một lần."
    )
    assert act(amendment, people.office_a, "submit").stage.kind == StageKind.REVIEW


def test_it_lets_an_outside_working_group_member_in_until_the_amendment_ends(people, amendment):
    guest = factories.UserFactory(username="vanphong_ubnd")
    assert not amendment_access.can_view_amendment(guest, amendment)
    services.working_group_add(
        amendment=refresh(amendment), user=people.office_a, member=guest, affiliation="Văn phòng UBND"
    )
    guest = type(guest).objects.get(pk=guest.pk)
    assert amendment_access.can_view_amendment(guest, refresh(amendment))
    assert can_view_regulation(guest, amendment.regulation)
    assert amendment_access.can_edit_draft(guest, refresh(amendment))
    assert not access.can_view_organization(guest, people.a)
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a, "reject", comment="Chưa cần sửa đổi trong năm nay.")
    guest = type(guest).objects.get(pk=guest.pk)
    assert not amendment_access.can_view_amendment(guest, refresh(amendment))
    assert not can_view_regulation(guest, amendment.regulation)


def written_by(amendment, transition) -> Event:
    """Run one transition and return the one event it wrote."""
    before = list(Event.objects.filter(amendment=amendment).values_list("pk", flat=True))
    transition()
    written = list(Event.objects.filter(amendment=amendment).exclude(pk__in=before))
    assert len(written) == 1, written
    return written[0]


def change_of(event) -> tuple:
    return event.action, event.from_status, event.to_status, event.from_stage, event.to_stage


def test_it_writes_one_event_per_transition_with_its_statuses_and_stages(people, amendment):
    drafting = amendment.stage
    assert change_of(Event.objects.get(amendment=amendment)) == ("create", "", "in_progress", None, drafting)
    decision = at_decision(amendment, people).stage
    # Every step on the way to the vote kept the amendment in progress, one event each.
    steps = list(Event.objects.filter(amendment=amendment))[1:]
    assert [e.action for e in steps] == ["submit", "approve", "submit", "submit", "approve", "approve"]
    assert [(e.from_status, e.to_status) for e in steps] == [("in_progress", "in_progress")] * 6
    assert [(e.from_stage.order, e.to_stage.order) for e in steps] == [(n, n + 1) for n in range(1, 7)]

    vote = meeting(present=5, votes_for=5, votes_against=0, votes_abstain=0)
    event = written_by(amendment, lambda: act(amendment, people.member_a, **vote))
    assert change_of(event) == ("approve", "in_progress", "adopted", decision, None)
    assert event.votes_for == 5 and event.changes_status
    event = written_by(
        amendment,
        lambda: services.amendment_issue(amendment=refresh(amendment), user=people.office_a, **issue_values(amendment)),
    )
    assert change_of(event) == ("issue", "adopted", "issued", decision, None)


def test_it_records_a_return_within_the_process_and_a_rejection_as_its_end(people, amendment):
    drafting = amendment.stage
    edit_meetings_article(amendment, people.office_a)
    event = written_by(amendment, lambda: act(amendment, people.office_a, "submit"))
    review = refresh(amendment).stage
    assert change_of(event) == ("submit", "in_progress", "in_progress", drafting, review)
    event = written_by(amendment, lambda: act(amendment, people.bithu_a, "return", comment="Bổ sung họp trực tuyến."))
    assert change_of(event) == ("return", "in_progress", "in_progress", review, drafting)
    assert not event.changes_status
    act(amendment, people.office_a, "submit")
    event = written_by(amendment, lambda: act(amendment, people.bithu_a, "reject", comment="Chưa cần sửa đổi."))
    assert change_of(event) == ("reject", "in_progress", "rejected", review, None)


def test_it_refuses_an_issue_date_before_the_meeting_and_numbers_after_a_text_of_the_same_series(
    people, amendment, in_force
):
    amendment = at_decision(amendment, people)
    adopted = act(amendment, people.member_a, **meeting(present=5, votes_for=5, votes_against=0, votes_abstain=0))
    with pytest.raises(ValidationError, match="trước ngày hội nghị thông qua"):
        services.amendment_issue(
            amendment=adopted, user=people.office_a,
            **issue_values(adopted, issued=timezone.localdate() - datetime.timedelta(days=30)),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.amendment_issue(amendment=adopted, user=people.bithu_a, **issue_values(adopted))
    assert refresh(adopted).status == AmendmentStatus.ADOPTED
    in_force.refresh_from_db()
    assert in_force.status == "in_force"
    # The UBKT's working regulation, issued by the same committee this year, is numbered in the same series.
    today = timezone.localdate()
    text = texts.regulation_text(
        [texts.ARTICLES["scope"]], number="08-QC/ĐUK", date=(today.day, today.month, today.year)
    )
    regulation_services.regulation_import(
        text=text, user=people.office_a, organization=people.a, kind="inspection_rules"
    )
    issued = services.amendment_issue(amendment=adopted, user=people.office_a, **issue_values(adopted))
    assert refresh(issued).draft.number == "09-QC/ĐUK"


def test_it_runs_the_chi_bo_process_from_data(people, import_text):
    secretary = factories.UserFactory()
    factories.seat(secretary, people.a_cell, "executive", "secretary")
    version = import_text(texts_for_cell(), organization=people.a_cell, user=secretary)
    amendment = services.amendment_start(regulation=version.regulation, user=secretary)
    assert [s.name for s in Stage.objects.filter(organization_kind="cell")] == [
        "Soạn thảo dự thảo", "Chi ủy cho ý kiến", "Hội nghị chi bộ biểu quyết thông qua",
    ]  # fmt: skip
    edit_meetings_article(amendment, secretary)
    act(amendment, secretary, "submit")
    act(amendment, secretary, **meeting(present=1))  # the chi ủy: its only member, the Bí thư
    # The chi bộ's meeting is of all its party members, whose number is given.
    with pytest.raises(ValidationError, match="Cần ghi tổng số đảng viên"):
        act(amendment, secretary, **meeting(present=20, votes_for=19, votes_against=1, votes_abstain=0))
    adopted = act(
        amendment, secretary, party_members=25, **meeting(present=20, votes_for=19, votes_against=1, votes_abstain=0)
    )
    assert adopted.status == AmendmentStatus.ADOPTED
    assert adopted.events.last().members_total == 25


def texts_for_cell():
    a = texts.ARTICLES
    return texts.regulation_text([a["scope"], a["principles"], a["btv"], a["meetings"]], number="01-QC/CB")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_make_one_transition(people, amendment):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    stage_id = refresh(amendment).stage_id
    second_member = factories.UserFactory()
    factories.seat(second_member, people.a, "standing_office", "deputy_secretary")
    barrier, outcomes = threading.Barrier(2), []

    def approve(user):
        try:
            barrier.wait()
            services.amendment_transition(
                amendment=refresh(amendment), user=type(user).objects.get(pk=user.pk), action="approve",
                expected_stage_id=stage_id,
            )  # fmt: skip
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (people.bithu_a, second_member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert any("đã được chuyển sang bước" in outcome for outcome in outcomes), outcomes
    assert refresh(amendment).stage.kind == StageKind.CONSULTATION
    assert Event.objects.filter(amendment=amendment, action="approve").count() == 1
