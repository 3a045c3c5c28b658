"""Everyone concerned learns of each step as it happens: in the app at once, by email as they chose; once each,
never the person who took the step; and what they follow (unless muted) as well as what their role requires."""

import datetime
import threading
import time
from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspections
from notifications import services as notifications
from notifications.models import EmailStatus, Follow, Notification
from notifications.models import NotificationReason as R
from organizations.models import BodyKind, EmailMode, Role
from regulations import services as regulation_services
from reviews import services
from reviews.models import Amendment, Event, StageKind
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


def told(reason) -> Counter:
    """How many notifications of this reason each person was sent, by username."""
    return Counter(Notification.objects.filter(reason=reason).values_list("recipient__username", flat=True))


def follow(user, target):
    return notifications.follow(user=type(user).objects.get(pk=user.pk), target=target)


@pytest.fixture
def city_office(people):
    """The office of A's superior, which audits A's regulations."""
    person = factories.UserFactory(username="city_office")
    factories.seat(person, people.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    return person


BCH_OF_A = {"btv_a", "member_a", "bithu_a", "bch_a_0", "bch_a_1", "bch_a_2"}


# Part 1: each event tells those it concerns, once each ----------------------------------------------------------


def test_it_tells_each_person_and_organization_asked_once_and_emails_a_direct_link(
    people, at_consultation, settings, django_capture_on_commit_callbacks
):
    factories.seat(people.member_a, people.a_child, BodyKind.OFFICE, Role.OFFICE_STAFF)  # asked twice over
    due = timezone.localdate() + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.requests_create(
            amendment=at_consultation, user=people.office_a, due=due, users=[people.member_a, people.btv_a],
            organizations=[people.a_child],
        )  # fmt: skip
    assert told(R.CONSULTATION_REQUESTED) == {"member_a": 1, "btv_a": 1, "office_child": 1}

    link = f"{settings.SITE_URL}/sua-doi/{at_consultation.pk}/du-thao/"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "btv_a@example.vn", "member_a@example.vn", "office_child@example.vn",
    ]  # fmt: skip
    message = mail.outbox[0]
    assert "Đề nghị góp ý trước ngày" in message.subject and f"{due:%d/%m/%Y}" in message.body
    assert link in message.body and f'href="{link}"' in message.alternatives[0][0]
    asked = Notification.objects.filter(reason=R.CONSULTATION_REQUESTED)
    assert set(asked.values_list("email_status", flat=True)) == {EmailStatus.SENT}

    services.requests_create(amendment=refresh(at_consultation), user=people.office_a, due=due, users=[people.btv_a])
    assert told(R.CONSULTATION_REQUESTED)["btv_a"] == 1  # asked already: nothing new to tell


def test_an_answer_tells_the_working_group_but_not_who_answered(people, at_consultation):
    colleague = type(people.office_a).objects.get(username="bch_a_0")
    services.working_group_add(amendment=at_consultation, user=people.office_a, member=people.member_a)
    services.working_group_add(amendment=refresh(at_consultation), user=people.office_a, member=colleague)
    services.requests_create(
        amendment=refresh(at_consultation), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    services.request_answer(amendment=refresh(at_consultation), user=people.member_a, no_comment=True)
    assert told(R.ANSWER_RECEIVED) == {"office_a": 1, "bch_a_0": 1}  # the group, but not who answered
    notice = people.office_a.notifications.get(reason=R.ANSWER_RECEIVED)
    assert "không có ý kiến" in notice.title
    assert notice.url == reverse("reviews:consultation", args=[at_consultation.pk])


def test_a_reply_tells_the_commenter_and_a_disposition_tells_them_how_it_was_dealt_with(people, amendment):
    comment = at_synthesis_with_a_comment(amendment, people)
    services.reply_add(comment=comment, user=people.office_a, text="Đề nghị đồng chí nói rõ lý do.")
    services.reply_add(comment=comment, user=people.member_a, text="Để kịp chuẩn bị tài liệu.")  # my own thread
    assert told(R.COMMENT_REPLIED) == {"member_a": 1}
    reply = people.member_a.notifications.get(reason=R.COMMENT_REPLIED)
    assert reply.body == "Đề nghị đồng chí nói rõ lý do." and reply.url.endswith(f"/tong-hop/#y-kien-{comment.pk}")

    def dispose(kind, explanation):
        services.disposition_set(comment=comment, user=people.office_a, kind=kind, explanation=explanation)

    dispose("explained", "Điều lệ quy định họp ba tháng một lần.")
    dispose("explained", "Điều lệ quy định họp ba tháng một lần.")  # the same decision again: nothing new
    assert told(R.COMMENT_DISPOSED) == {"member_a": 1}
    explained = people.member_a.notifications.get(reason=R.COMMENT_DISPOSED)
    assert "được giải trình" in explained.title and "Điều 4" in explained.title
    assert "Giải trình: Điều lệ quy định họp ba tháng một lần." in explained.body
    dispose("accepted", "Đã sửa khoản 1.")  # decided otherwise: told again
    assert told(R.COMMENT_DISPOSED) == {"member_a": 2}


def test_a_stage_reached_tells_its_body_and_the_followers_once_each_and_not_the_muted(people, amendment):
    follow(people.bithu_a, amendment)  # acts at the next stage and follows: one notice
    follow(people.member_a, amendment)
    follow(people.btv_a, amendment)
    notifications.follow_mute(user=people.btv_a, target=amendment, muted=True)
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")  # to Thường trực
    assert told(R.STAGE_REACHED) == {"bithu_a": 1}
    assert told(R.AMENDMENT_MOVED) == {"member_a": 1}  # the muted follower hears nothing, the creator (actor) neither
    arrived = people.bithu_a.notifications.get()
    assert "Thường trực" in arrived.body and arrived.url == reverse("reviews:detail", args=[amendment.pk])

    act(amendment, people.bithu_a)  # to the consultation: the working group acts there
    assert told(R.STAGE_REACHED) == {"bithu_a": 1, "office_a": 1}


def test_returned_and_rejected_tell_the_working_group_with_the_comment(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a, "return", comment="Bổ sung căn cứ Quy định 294.")
    assert told(R.AMENDMENT_RETURNED) == {"office_a": 1}
    assert "Bổ sung căn cứ Quy định 294." in people.office_a.notifications.get(reason=R.AMENDMENT_RETURNED).body

    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a, "reject", comment="Chưa cần sửa đổi trong năm nay.")
    assert told(R.AMENDMENT_REJECTED) == {"office_a": 1}
    assert "Chưa cần sửa đổi" in people.office_a.notifications.get(reason=R.AMENDMENT_REJECTED).body


def test_adopted_and_issued_tell_the_committee_the_office_the_superior_office_and_the_followers(
    people, amendment, city_office
):
    follow(people.superior_btv, amendment.regulation)
    follow(people.btv_a, amendment.regulation)  # in the BCH too: one notice
    amendment = at_stage(amendment, people, (StageKind.DECISION, BodyKind.EXECUTIVE))
    adopted = act(amendment, people.bithu_a, **meeting(present=5, votes_for=5, votes_against=0, votes_abstain=0))
    expected = dict.fromkeys((BCH_OF_A | {"office_a", "city_office", "superior_btv"}) - {"bithu_a"}, 1)
    assert told(R.REGULATION_ADOPTED) == expected

    services.amendment_issue(amendment=adopted, user=people.office_a, **issue_values(adopted))
    issued = told(R.REGULATION_ISSUED)
    assert issued == dict.fromkeys(BCH_OF_A | {"city_office", "superior_btv"}, 1)
    notice = city_office.notifications.get(reason=R.REGULATION_ISSUED)
    number = refresh(adopted).draft.number  # the register's
    assert (
        number
        and notice.title.startswith(f"Ban hành {number}")
        and notice.url == reverse("regulations:version", args=[refresh(adopted).draft_id])
    )


def test_a_repeal_tells_the_regulations_people_and_followers(people, in_force, city_office):
    follow(people.superior_btv, in_force.regulation)
    regulation_services.version_repeal(
        version=in_force, number="882-QĐ/ĐUK", day=timezone.localdate(), body="Ban Thường vụ Đảng ủy Khối",
        user=people.office_a,
    )  # fmt: skip
    assert told(R.REGULATION_REPEALED) == dict.fromkeys(BCH_OF_A | {"city_office", "superior_btv"}, 1)
    assert "882-QĐ/ĐUK" in people.superior_btv.notifications.get().body


def test_a_follower_who_may_no_longer_read_the_regulation_is_told_nothing_of_it(people, in_force, city_office):
    """Following was checked when it began; a seat ended since closes the regulation to them, and its notices."""
    leaving = factories.UserFactory(username="roi.khoi")
    seat = factories.seat(leaving, people.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    follow(leaving, in_force.regulation)
    seat.end = timezone.localdate() - datetime.timedelta(days=1)
    seat.save()
    regulation_services.version_repeal(
        version=in_force, number="883-QĐ/ĐUK", day=timezone.localdate(), body="Ban Thường vụ Đảng ủy Khối",
        user=people.office_a,
    )  # fmt: skip
    assert "roi.khoi" not in told(R.REGULATION_REPEALED)
    assert not leaving.notifications.exists()


def test_a_finding_and_a_remediation_found_wanting_tell_the_inspected_office(people, in_force):
    inspection = inspections.inspection_create(
        inspecting=people.city, inspected=people.a, user=people.superior_btv, kind="inspection",
        date=timezone.localdate(), team="Đoàn kiểm tra Thành ủy", scope="Thực hiện quy chế làm việc.",
    )  # fmt: skip
    finding = inspections.finding_add(
        inspection=inspection, user=people.superior_btv, kind="fault", description="Không họp định kỳ.",
        remediation="Họp hằng tháng.", deadline=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    assert told(R.FINDING_ASSIGNED) == {"office_a": 1}
    inspections.remediation_report(finding=finding, user=people.office_a, report="Đã họp hằng tháng.")
    new_deadline = timezone.localdate() + datetime.timedelta(days=60)
    inspections.finding_check(
        finding=finding, user=people.superior_btv, accepted=False, comment="Thiếu biên bản.", deadline=new_deadline
    )
    reopened = people.office_a.notifications.get(reason=R.FINDING_REOPENED)
    assert f"{new_deadline:%d/%m/%Y}" in reopened.title and "Thiếu biên bản." in reopened.body
    assert told(R.FINDING_REOPENED) == {"office_a": 1}


# Part 2: following -------------------------------------------------------------------------------------------------


def test_creators_and_the_working_group_follow_by_default_and_followers_hear_of_a_new_amendment(people, in_force):
    follow(people.superior_btv, in_force.regulation)
    amendment = services.amendment_start(regulation=in_force.regulation, user=people.office_a)
    assert told(R.AMENDMENT_STARTED) == {"superior_btv": 1}
    outsider_member = factories.UserFactory(username="ubnd_office")
    services.working_group_add(amendment=amendment, user=people.office_a, member=outsider_member)
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=people.member_a)
    followers = set(Follow.objects.filter(object_id=amendment.pk, content_type__model="amendment").values_list(
        "user__username", flat=True))  # fmt: skip
    assert followers == {"office_a", "ubnd_office", "member_a"}

    # Leaving the group: who reads the dossier only through it stops following it; a member of A keeps it.
    services.working_group_remove(amendment=refresh(amendment), user=people.office_a, member=outsider_member)
    services.working_group_remove(amendment=refresh(amendment), user=people.office_a, member=people.member_a)
    assert notifications.followers(amendment) == {people.office_a.pk, people.member_a.pk}


def test_one_who_may_not_read_it_cannot_follow_it(people, amendment):
    with pytest.raises(PermissionDenied):
        notifications.follow(user=people.outsider, target=amendment)
    with pytest.raises(ValidationError, match="chưa theo dõi"):
        notifications.follow_mute(user=people.member_a, target=amendment, muted=True)


# Part 5: a person told once per event even with several roles; muting ---------------------------------------------


def test_a_muted_follower_still_hears_what_their_role_requires(people, at_consultation):
    follow(people.member_a, at_consultation)
    notifications.follow_mute(user=people.member_a, target=at_consultation, muted=True)
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    assert told(R.CONSULTATION_REQUESTED) == {"member_a": 1}


# Email as each chose -------------------------------------------------------------------------------------------


def test_the_digest_gathers_a_persons_notices_under_each_organization(
    people, at_consultation, django_capture_on_commit_callbacks
):
    member = type(people.member_a).objects.get(pk=people.member_a.pk)
    notifications.email_mode_save(user=member, email_mode=EmailMode.DIGEST, email=member.email)
    factories.seat(member, people.a_child, BodyKind.OFFICE, Role.OFFICE_STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        services.requests_create(
            amendment=at_consultation, user=people.office_a, due=timezone.localdate(), users=[people.member_a]
        )
        inspection = inspections.inspection_create(
            inspecting=people.a, inspected=people.a_child, user=people.btv_a, kind="supervision",
            date=timezone.localdate(), team="Đoàn giám sát", scope="Quy chế làm việc.",
        )  # fmt: skip
        inspections.finding_add(
            inspection=inspection, user=people.btv_a, kind="limitation", description="Chưa lưu biên bản.",
            remediation="Lưu đủ biên bản.", deadline=timezone.localdate() + datetime.timedelta(days=10),
        )  # fmt: skip
    assert not [m for m in mail.outbox if m.to == [member.email]]  # nothing at once: it waits for the digest
    assert notifications.send_digests() >= 1
    (digest,) = [m for m in mail.outbox if m.to == [member.email]]
    body = digest.body  # the organizations in the order of their names: "Đảng bộ Sở…" before "Đảng ủy Khối…"
    child_heading, a_heading = body.index(f"\n{people.a_child.name}\n"), body.index(f"\n{people.a.name}\n")
    assert child_heading < body.index("Chưa lưu biên bản") < a_heading < body.index("Đề nghị góp ý")
    assert f'<h3 style="font-size: 15px; margin: 16px 0 4px">{people.a.name}</h3>' in digest.alternatives[0][0]
    assert set(member.notifications.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_a_scans_reminders_are_grouped_under_their_organization_too(people, in_force):
    in_force.regulation.refresh_from_db()
    notifications.reminders_store(in_force.regulation.next_review_on)  # the day its review is due
    assert people.office_a.notifications.get(reason=R.REVIEW_OVERDUE).organization == people.a


@pytest.mark.django_db(transaction=True)
def test_a_worker_on_redis_sends_the_immediate_email_once_the_step_is_committed(celery_on_redis, people, amendment):
    edit_meetings_article(amendment, people.office_a)
    with start_worker(celery_on_redis, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        act(amendment, people.office_a, "submit")  # committed: Thường trực's Bí thư is told
        deadline = time.monotonic() + 60
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.2)
    assert [message.to for message in mail.outbox] == [["bithu_a@example.vn"]]
    assert "Chờ xử lý ở bước" in mail.outbox[0].subject
    assert people.bithu_a.notifications.get().email_status == EmailStatus.SENT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_tell_the_next_body_once(people, amendment):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    stage_id = refresh(amendment).stage_id
    second = factories.UserFactory(username="second_deputy")
    factories.seat(second, people.a, BodyKind.STANDING_OFFICE, Role.DEPUTY_SECRETARY)
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

    threads = [threading.Thread(target=approve, args=(u,)) for u in (people.bithu_a, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    event = Event.objects.get(amendment=amendment, action="approve")
    assert told(R.STAGE_REACHED) == {"bithu_a": 1, "office_a": 1}  # Thường trực, then the group at consultation
    of_the_event = Notification.objects.filter(period=f"event:{event.pk}")
    assert list(of_the_event.values_list("recipient__username", flat=True)) == ["office_a"]
    assert Amendment.objects.get(pk=amendment.pk).stage.kind == StageKind.CONSULTATION
