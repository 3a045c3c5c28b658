import datetime
import json
import threading
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from notifications import services as notifications
from notifications.models import EmailStatus, Notification, ReminderSettings
from notifications.tasks import scan_reminders
from organizations.models import BodyKind, EmailMode, Role
from regulations import services as regulation_services
from regulations.models import SuperiorDocument
from reviews import services
from tests import factories
from tests.amendments import act, edit_meetings_article, refresh
from tests.regulations import texts


def scan_on(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8)), tick=False):
        return scan_reminders(today=day)


def reasons(user, about="review"):
    """The user's reminders of one kind (reviews by default; every committee here also lacks a new-term QCLV)."""
    return sorted(r for r in user.notifications.values_list("reason", flat=True) if r.startswith(about))


@pytest.fixture
def regulation(people, in_force):
    """A's QCLV, in force since 15/9/2025 (reviewed every 6 months: due 15/3/2026)."""
    return in_force.regulation


class TestReviewDue:
    def test_it_reminds_the_office_some_days_before(self, regulation, people):
        scan_on(datetime.date(2026, 2, 28))
        assert reasons(people.office_a) == []
        scan_on(datetime.date(2026, 3, 2))
        assert reasons(people.office_a) == ["review_due"]
        notice = people.office_a.notifications.get(reason="review_due")
        assert notice.title.startswith("Đến ngày 15/03/2026 cần rà soát")
        assert notice.url == f"/quy-che/{regulation.pk}/"

    def test_it_reminds_when_overdue_then_tells_the_superior_office(self, regulation, people):
        city_office = factories.UserFactory()
        factories.seat(city_office, people.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
        scan_on(datetime.date(2026, 3, 20))
        assert reasons(people.office_a) == ["review_overdue"] and reasons(city_office) == []
        scan_on(datetime.date(2026, 4, 20))
        assert reasons(city_office) == ["review_escalated"]
        assert "quá hạn rà soát quy chế từ 15/03/2026" in city_office.notifications.get(reason="review_escalated").title

    def test_it_uses_the_thresholds_the_office_set(self, regulation, people):
        ReminderSettings.objects.create(organization=people.a, review_notice_days=30)
        scan_on(datetime.date(2026, 2, 20))
        assert reasons(people.office_a) == ["review_due"]

    def test_it_counts_from_the_last_amendment_and_waits_while_one_is_under_way(self, regulation, people):
        with time_machine.travel("2026-03-01 09:00 +07:00", tick=False):
            amendment = services.amendment_start(regulation=regulation, user=people.office_a)
        scan_on(datetime.date(2026, 3, 20))
        assert reasons(people.office_a) == []
        with time_machine.travel("2026-03-25 09:00 +07:00", tick=False):
            edit_meetings_article(amendment, people.office_a)
            act(amendment, people.office_a, "submit")
            act(amendment, people.bithu_a, "reject", comment="Chưa cần sửa.")
        scan_on(datetime.date(2026, 9, 10))
        assert reasons(people.office_a) == []  # due 25/9/2026, six months after that review
        scan_on(datetime.date(2026, 9, 12))
        assert reasons(people.office_a) == ["review_due"]


def test_it_reminds_a_committee_without_a_working_regulation_in_its_new_term(people):
    scan_on(datetime.date(2025, 3, 10))  # the term began on 1/1/2025; the regulation is due within 90 days
    assert reasons(people.office_a, "term") == []
    scan_on(datetime.date(2025, 3, 20))
    assert reasons(people.office_a, "term") == ["term_rules_due"]
    scan_on(datetime.date(2025, 4, 5))
    assert reasons(people.office_a, "term") == ["term_rules_due", "term_rules_overdue"]


def test_it_chases_consultation_answers_before_and_when_they_expire(people, at_consultation):
    due = timezone.localdate() + datetime.timedelta(days=5)
    services.requests_create(
        amendment=at_consultation,
        user=people.office_a,
        due=due,
        users=[people.member_a],
        organizations=[people.a_child],
    )

    def asked(user):
        return reasons(user, "consultation")

    scan_on(due - datetime.timedelta(days=4))
    assert asked(people.member_a) == []
    scan_on(due - datetime.timedelta(days=3))
    assert asked(people.member_a) == ["consultation_due"] and asked(people.office_child) == ["consultation_due"]
    services.request_answer(amendment=refresh(at_consultation), user=people.office_child, no_comment=True)
    scan_on(due - datetime.timedelta(days=1))
    assert asked(people.member_a) == ["consultation_due", "consultation_tomorrow"]
    assert asked(people.office_child) == ["consultation_due"]  # answered: left alone
    scan_on(due + datetime.timedelta(days=1))
    expired = people.office_a.notifications.get(reason="consultation_expired")
    assert str(people.member_a) in expired.title


def test_it_reminds_the_stages_body_when_an_amendment_waits_too_long(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")  # now waiting for Thường trực
    scan_on(timezone.localdate() + datetime.timedelta(days=13))
    assert reasons(people.bithu_a, "stage") == []
    scan_on(timezone.localdate() + datetime.timedelta(days=14))
    assert reasons(people.bithu_a, "stage") == ["stage_stalled"]
    assert reasons(people.member_a, "stage") == []  # not in Thường trực


def test_it_asks_for_a_review_when_a_cited_document_is_replaced(people, import_text):
    old = SuperiorDocument.objects.create(number="232-QĐ/TW", title="về thi hành Điều lệ Đảng")
    new = SuperiorDocument.objects.create(number="294-QĐ/TW", title="về thi hành Điều lệ Đảng")
    version = import_text(texts.regulation_text([texts.ARTICLES["scope"]]))
    assert list(version.cited_documents.all()) == [old]  # recognised in "Căn cứ Quy định số 232-QĐ/TW ..."
    scan_on(datetime.date(2025, 10, 1))
    assert reasons(people.office_a, "basis") == []
    keeper = factories.UserFactory(username="vanphong_tu")
    factories.seat(keeper, people.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    regulation_services.superior_document_end(user=keeper, document=old, on=datetime.date(2025, 10, 2), replaced_by=new)
    scan_on(datetime.date(2025, 10, 3))
    notice = people.office_a.notifications.get(reason="basis_replaced")
    assert "Căn cứ 232-QĐ/TW đã được thay thế" in notice.title and "294-QĐ/TW" in notice.body


def test_a_replaced_basis_is_reminded_even_when_the_text_also_cites_one_still_in_force(people, import_text):
    old = SuperiorDocument.objects.create(number="232-QĐ/TW", title="về thi hành Điều lệ Đảng")
    kept = SuperiorDocument.objects.create(number="10-QĐi/TW", title="về quy chế làm việc mẫu")
    version = import_text(texts.regulation_text([texts.ARTICLES["scope"]]))
    version.cited_documents.add(kept)
    keeper = factories.UserFactory(username="vanphong_tu")
    factories.seat(keeper, people.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    regulation_services.superior_document_end(user=keeper, document=old, on=datetime.date(2025, 10, 2))
    scan_on(datetime.date(2025, 10, 3))
    notice = people.office_a.notifications.get(reason="basis_replaced")
    assert "Căn cứ 232-QĐ/TW đã bị bãi bỏ" in notice.title


@pytest.mark.django_db(transaction=True)  # emails are queued on commit, as in production
def test_send_reminders_twice_creates_nothing_the_second_time(regulation, people):
    def run():
        out = StringIO()
        with time_machine.travel("2026-03-20 08:00 +07:00", tick=False):
            call_command("send_reminders", stdout=out)
        return json.loads(out.getvalue())

    first = run()
    assert first["created"] >= 1 and first["emailed"] == first["created"] and first["skipped_duplicates"] == 0
    sent = len(mail.outbox)
    assert mail.outbox[0].subject.startswith("[Quy chế]")
    second = run()
    assert second == {"created": 0, "emailed": 0, "skipped_duplicates": first["created"], "not_queued": 0}
    assert len(mail.outbox) == sent


def test_it_sends_a_daily_digest_to_those_who_chose_it(regulation, people):
    people.office_a.email_mode = EmailMode.DIGEST
    people.office_a.save()
    scan_on(datetime.date(2026, 3, 20))
    assert mail.outbox == []
    assert notifications.send_digests() == 1
    assert len(mail.outbox) == 1 and "thông báo mới" in mail.outbox[0].subject
    assert people.office_a.notifications.get(reason="review_overdue").email_status == EmailStatus.SENT
    assert notifications.send_digests() == 0


def test_it_shows_notifications_in_the_header_and_marks_them_read(login, regulation, people):
    scan_on(datetime.date(2026, 3, 20))
    client = login(people.office_a)
    page = client.get("/thong-bao/").content.decode()
    unread = people.office_a.notifications.count()
    assert f'aria-label="{unread} chưa đọc"' in page and "Quá hạn rà soát từ 15/03/2026" in page
    notice = people.office_a.notifications.get(reason="review_overdue")
    # Each row: the button that opens it, when (Hà Nội time) and why.
    assert f'action="/thong-bao/{notice.pk}/"' in page
    assert f"{timezone.localtime(notice.created_at):%d/%m/%Y %H:%M} · {notice.get_reason_display()}" in page
    response = client.post(f"/thong-bao/{notice.pk}/")
    assert response["Location"] == notice.url
    assert f'aria-label="{unread} chưa đọc"' not in client.get("/thong-bao/").content.decode()
    assert people.office_a.notifications.filter(read_at__isnull=True).count() == unread - 1
    assert login(people.outsider).post(f"/thong-bao/{notice.pk}/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_the_same_moment_create_each_reminder_once(people, in_force):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    barrier, results = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            results.append(scan_reminders(today=datetime.date(2026, 3, 20)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Notification.objects.count()
    assert total >= 1
    assert sum(r["created"] for r in results) == total
    assert Notification.objects.values("recipient", "reason", "subject", "period").distinct().count() == total


def test_only_the_office_sets_its_organizations_reminder_thresholds(login, people):
    with pytest.raises(PermissionDenied):
        notifications.reminder_settings_save(organization=people.a, user=people.member_a, stalled_stage_days=3)
    assert not ReminderSettings.objects.filter(organization=people.a).exists()
    response = login(people.office_a).post(
        f"/to-chuc/{people.a.pk}/nhac-viec/",
        {"review_notice_days": 10, "review_escalation_days": 20, "term_rules_days": 60,
         "consultation_notice_days": 2, "stalled_stage_days": 3},
    )  # fmt: skip
    assert response.status_code == 302
    assert ReminderSettings.objects.get(organization=people.a).stalled_stage_days == 3
    assert login(people.member_a).get(f"/to-chuc/{people.a.pk}/nhac-viec/").status_code == 403


def test_it_refuses_a_threshold_beyond_a_year_with_a_message(login, people):
    response = login(people.office_a).post(
        f"/to-chuc/{people.a.pk}/nhac-viec/",
        {"review_notice_days": 99999, "review_escalation_days": 20, "term_rules_days": 0,
         "consultation_notice_days": 2, "stalled_stage_days": 3},
    )  # fmt: skip
    page = response.content.decode()
    assert "Nhắc trước hạn rà soát (ngày): tối đa 365 ngày." in page
    assert "Thời hạn ban hành quy chế làm việc sau khi bắt đầu nhiệm kỳ (ngày): ít nhất 1 ngày." in page
    assert not ReminderSettings.objects.filter(organization=people.a).exists()


@pytest.mark.parametrize(
    ("submitted", "entered"),
    [
        ("2026-03-06 23:30 +07:00", datetime.date(2026, 3, 6)),  # 16:30 UTC, the same day
        ("2026-03-07 00:30 +07:00", datetime.date(2026, 3, 7)),  # 17:30 UTC, the day before in UTC
    ],
)
def test_a_stay_at_a_stage_is_counted_in_ha_noi_days_at_any_hour(people, amendment, submitted, entered):
    edit_meetings_article(amendment, people.office_a)
    with time_machine.travel(submitted, tick=False):
        act(amendment, people.office_a, "submit")
    scan_on(entered + datetime.timedelta(days=13))
    assert reasons(people.bithu_a, "stage") == []
    scan_on(entered + datetime.timedelta(days=14))
    notice = people.bithu_a.notifications.get(reason="stage_stalled")
    assert "đã 14 ngày" in notice.title and f"từ {entered:%d/%m/%Y}" in notice.body
