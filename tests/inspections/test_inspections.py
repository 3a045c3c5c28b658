"""Inspections (kiểm tra, giám sát): the city inspects bloc A, A's office remedies, the city checks (hậu kiểm).

Besides the cast: city_office (office of the city, told when A is late), btv_b (BTV of B, A's sibling).
"""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inspections import selectors, services
from inspections.models import Finding, FindingEvent, FindingStatus, Inspection
from notifications.tasks import scan_reminders
from organizations.models import BodyKind, Role
from regulations.models import Provision
from tests import factories
from tests.regulations import texts

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


@pytest.fixture
def sides(people):
    people.city_office = factories.UserFactory(username="city_office")
    factories.seat(people.city_office, people.city, BodyKind.OFFICE, Role.OFFICE_STAFF)
    people.btv_b = factories.UserFactory(username="btv_b")
    factories.seat(people.btv_b, people.b, BodyKind.STANDING, Role.STANDING_MEMBER)
    return people


def inspect(people, inspected=None, inspecting=None, user=None, **data):
    return services.inspection_create(
        inspecting=inspecting or people.city, inspected=inspected or people.a, user=user or people.superior_btv,
        **{"kind": "inspection", "date": today(), "team": "Đồng chí Trần Văn Bình, Ủy viên BTV Thành ủy, Trưởng đoàn",
           "scope": "Việc ban hành, thực hiện quy chế làm việc nhiệm kỳ 2025 - 2030.", **data},
    )  # fmt: skip


def find(inspection, user, **data):
    return services.finding_add(
        inspection=inspection, user=user,
        **{"kind": "fault", "description": "Ban Thường vụ không họp định kỳ hằng tháng như quy chế quy định.",
           "remediation": "Họp thường kỳ hằng tháng, lưu đủ biên bản.", "deadline": today() + 30 * DAY, **data},
    )  # fmt: skip


def meetings_article(version) -> Provision:
    return Provision.objects.get(version=version, kind="article", label="4")


@pytest.fixture
def inspection(sides):
    return inspect(sides)


@pytest.fixture
def finding(sides, inspection, in_force):
    article = meetings_article(in_force)
    return find(inspection, sides.superior_btv, regulation=in_force.regulation, article_key=article.key)


def fresh(finding) -> Finding:
    return Finding.objects.select_related("inspection__inspecting", "inspection__inspected").get(pk=finding.pk)


def history(finding) -> list[tuple]:
    return list(
        FindingEvent.objects.filter(finding=finding).values_list(
            "action", "from_status", "to_status", "actor__username"
        )
    )


class TestCycle:
    def test_it_runs_from_a_finding_through_a_reopening_to_closed(self, sides, finding, in_force):
        assert finding.status == FindingStatus.OPEN
        assert (finding.article_label, finding.article_key) == ("4", meetings_article(in_force).key)

        services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã họp tháng 3.")
        later = today() + 60 * DAY
        reopened = services.finding_check(
            finding=fresh(finding), user=sides.superior_btv, accepted=False,
            comment="Chưa có biên bản họp tháng 4.", deadline=later,
        )  # fmt: skip
        assert (reopened.status, reopened.deadline) == (FindingStatus.REOPENED, later)
        services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Bổ sung biên bản.")
        closed = services.finding_check(finding=fresh(finding), user=sides.superior_btv, accepted=True, comment="")

        assert fresh(closed).status == FindingStatus.CLOSED
        assert history(finding) == [
            ("record", "", "open", "superior_btv"),
            ("report", "open", "reported", "office_a"),
            ("reopen", "reported", "reopened", "superior_btv"),
            ("report", "reopened", "reported", "office_a"),
            ("accept", "reported", "closed", "superior_btv"),
        ]
        events = list(FindingEvent.objects.filter(finding=finding))
        assert [e.comment for e in events[1:4]] == [
            "Đã họp tháng 3.",
            "Chưa có biên bản họp tháng 4.",
            "Bổ sung biên bản.",
        ]
        assert events[2].deadline == later and events[0].deadline == finding.deadline

    def test_it_refuses_steps_out_of_turn(self, sides, finding):
        with pytest.raises(ValidationError, match="Chưa có báo cáo khắc phục để hậu kiểm"):
            services.finding_check(finding=fresh(finding), user=sides.superior_btv, accepted=True)
        services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
        with pytest.raises(ValidationError, match="Đã báo cáo khắc phục"):
            services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Lần nữa.")
        assert len(history(finding)) == 2

    def test_it_lets_each_level_inspect_those_below_it_through_its_own_bodies(self, sides):
        by_a = inspect(sides, inspecting=sides.a, inspected=sides.a_child, user=sides.btv_a, kind="supervision")
        assert (by_a.inspecting, by_a.inspected, by_a.kind) == (sides.a, sides.a_child, "supervision")
        found = find(by_a, sides.office_a)
        with pytest.raises(PermissionDenied):  # A's office does not remedy for the organization below it
            services.remediation_report(finding=fresh(found), user=sides.office_a, report="Đã khắc phục.")
        services.remediation_report(finding=fresh(found), user=sides.office_child, report="Đã khắc phục.")
        with pytest.raises(PermissionDenied):  # the city audits A's subtree, but this is A's inspection
            services.finding_check(finding=fresh(found), user=sides.superior_btv, accepted=True)
        assert services.finding_check(finding=fresh(found), user=sides.office_a, accepted=True).status == "closed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_checks_make_one_decision(sides, finding):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
    barrier, outcomes = threading.Barrier(2), []

    def check(user, accepted):
        try:
            barrier.wait()
            services.finding_check(
                finding=fresh(finding), user=type(user).objects.get(pk=user.pk), accepted=accepted, comment="Chưa đạt."
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=check, args=args) for args in ((sides.superior_btv, True), (sides.city_office, False))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert any("Chưa có báo cáo khắc phục để hậu kiểm" in outcome for outcome in outcomes), outcomes
    assert len(history(finding)) == 3


class TestAccess:
    def test_it_refuses_a_subordinate_inspecting_its_superior(self, sides):
        with pytest.raises(ValidationError, match="không phải tổ chức cấp dưới của"):
            inspect(sides, inspecting=sides.a, inspected=sides.city, user=sides.btv_a)
        with pytest.raises(ValidationError, match="không phải tổ chức cấp dưới của"):
            inspect(sides, inspecting=sides.a, inspected=sides.a, user=sides.btv_a)
        with pytest.raises(PermissionDenied):
            inspect(sides, inspecting=sides.city, inspected=sides.a, user=sides.btv_a)
        assert not Inspection.objects.exists()

    def test_it_refuses_a_sibling(self, sides, finding):
        with pytest.raises(ValidationError, match="Đảng ủy Khối Cơ quan thử nghiệm không phải tổ chức cấp dưới"):
            inspect(sides, inspecting=sides.b, inspected=sides.a, user=sides.btv_b)
        for user in (sides.btv_b, sides.outsider):
            with pytest.raises(PermissionDenied):
                find(finding.inspection, user)
            with pytest.raises(PermissionDenied):
                services.remediation_report(finding=fresh(finding), user=user, report="Đã khắc phục.")
        services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
        with pytest.raises(PermissionDenied):
            services.finding_check(finding=fresh(finding), user=sides.btv_b, accepted=True)
        assert Inspection.objects.count() == 1 and Finding.objects.count() == 1
        assert fresh(finding).status == FindingStatus.REPORTED

    def test_it_refuses_the_inspected_organization_closing_its_own_finding(self, sides, finding):
        services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
        for user in (sides.office_a, sides.btv_a, sides.bithu_a):
            with pytest.raises(PermissionDenied, match="hậu kiểm"):
                services.finding_check(finding=fresh(finding), user=user, accepted=True)
        assert fresh(finding).status == FindingStatus.REPORTED and len(history(finding)) == 2

    def test_it_takes_the_report_only_from_the_inspected_office(self, sides, finding):
        for user in (sides.member_a, sides.superior_btv, sides.city_office):
            with pytest.raises(PermissionDenied, match="Chỉ văn phòng của Đảng ủy Khối Cơ quan thử nghiệm"):
                services.remediation_report(finding=fresh(finding), user=user, report="Đã khắc phục.")
        assert fresh(finding).status == FindingStatus.OPEN


class TestBadInput:
    def test_it_refuses_a_deadline_in_the_past(self, sides, inspection):
        with pytest.raises(ValidationError) as error:
            find(inspection, sides.superior_btv, deadline=today() - DAY)
        assert error.value.message_dict == {"deadline": ["Hạn khắc phục không thể trước hôm nay."]}
        assert not Finding.objects.exists()

    def test_it_refuses_an_article_not_in_the_regulation(self, sides, inspection, in_force, import_text):
        a = texts.ARTICLES
        other = import_text(texts.regulation_text([a["scope"], a["secretary"]], number="02-QC/ĐUK"))
        with pytest.raises(ValidationError) as error:
            find(inspection, sides.superior_btv, regulation=in_force.regulation,
                 article_key=Provision.objects.get(version=other, label="2").key)  # fmt: skip
        assert error.value.message_dict["article_key"] == [
            f"Không có điều này trong văn bản hiện hành của “{in_force.regulation.title}”."
        ]
        office_b = factories.seat(factories.UserFactory(), sides.b, BodyKind.OFFICE, Role.OFFICE_STAFF).user
        b_text = import_text(
            texts.regulation_text([a["scope"]], number="03-QC/QU"), organization=sides.b, user=office_b
        )
        with pytest.raises(ValidationError, match="không phải quy chế của Đảng ủy Khối"):
            find(inspection, sides.superior_btv, regulation=b_text.regulation)
        assert not Finding.objects.exists()

    def test_it_refuses_a_reopening_without_a_reason(self, sides, finding):
        services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
        with pytest.raises(ValidationError) as error:
            services.finding_check(finding=fresh(finding), user=sides.superior_btv, accepted=False, comment="  ")
        assert error.value.message_dict == {"comment": ["Cần ghi rõ nội dung chưa đạt, yêu cầu khắc phục lại."]}
        with pytest.raises(ValidationError, match="Hạn khắc phục mới không thể trước hôm nay"):
            services.finding_check(
                finding=fresh(finding), user=sides.superior_btv, accepted=False, comment="Chưa đạt.",
                deadline=today() - DAY,
            )  # fmt: skip
        assert (fresh(finding).status, fresh(finding).deadline) == (FindingStatus.REPORTED, finding.deadline)
        assert len(history(finding)) == 2

    def test_it_refuses_a_report_over_its_limit_with_a_message_and_changes_nothing(self, login, sides, finding):
        response = login(sides.office_a).post(
            reverse("inspections:finding_report", args=[finding.pk]),
            {f"f{finding.pk}-report": "Đã khắc phục. " * 800},
            follow=True,
        )
        assert "Kết quả khắc phục: tối đa 10.000 ký tự (đã nhập 11199 ký tự)." in response.content.decode()
        assert fresh(finding).status == FindingStatus.OPEN and len(history(finding)) == 1

    def test_it_refuses_an_empty_report_and_an_inspection_without_its_content(self, sides, finding):
        with pytest.raises(ValidationError, match="Hãy nêu kết quả khắc phục"):
            services.remediation_report(finding=fresh(finding), user=sides.office_a, report=" ")
        with pytest.raises(ValidationError) as error:
            inspect(sides, team="", scope="", date=today() + DAY)
        assert set(error.value.message_dict) == {"team", "scope", "date"}
        assert fresh(finding).status == FindingStatus.OPEN and Inspection.objects.count() == 1


def scan_on(day):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(8)), tick=False):
        return scan_reminders(today=day)


def overdue_notices(user):
    return list(user.notifications.filter(reason="finding_overdue").values_list("subject", "period", "title"))


class TestReminder:
    def test_it_reminds_both_offices_once_when_the_deadline_passes(self, sides, in_force):
        with time_machine.travel("2026-03-02 09:00 +07:00", tick=False):
            finding = find(inspect(sides), sides.superior_btv, deadline=datetime.date(2026, 3, 31))
        scan_on(datetime.date(2026, 3, 31))
        assert overdue_notices(sides.office_a) == []
        scan_on(datetime.date(2026, 4, 1))
        scan_on(datetime.date(2026, 4, 1))
        scan_on(datetime.date(2026, 4, 5))
        subject = f"finding:{finding.pk}"
        assert overdue_notices(sides.office_a) == [
            (subject, "2026-03-31", f"Quá hạn khắc phục từ 31/03/2026: {finding.description}")
        ]
        assert overdue_notices(sides.city_office) == [
            (subject, "2026-03-31", "Đảng ủy Khối Cơ quan thử nghiệm quá hạn khắc phục từ 31/03/2026")
        ]
        assert overdue_notices(sides.superior_btv) == [] and overdue_notices(sides.member_a) == []
        notice = sides.office_a.notifications.get(reason="finding_overdue")
        assert notice.url == reverse("inspections:detail", args=[finding.inspection_id]) + f"#han-che-{finding.pk}"

        # Reopened with a new deadline: reminded again when that one passes; closed: never again.
        with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
            services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
            services.finding_check(finding=fresh(finding), user=sides.superior_btv, accepted=False,
                                      comment="Chưa đạt.", deadline=datetime.date(2026, 4, 30))  # fmt: skip
        scan_on(datetime.date(2026, 5, 1))
        assert sorted(period for _, period, _ in overdue_notices(sides.office_a)) == ["2026-03-31", "2026-04-30"]
        with time_machine.travel("2026-05-02 09:00 +07:00", tick=False):
            services.remediation_report(finding=fresh(finding), user=sides.office_a, report="Đã khắc phục.")
            services.finding_check(finding=fresh(finding), user=sides.superior_btv, accepted=True)
        scan_on(datetime.date(2026, 6, 1))
        assert len(overdue_notices(sides.office_a)) == 2


class TestCounts:
    def test_it_counts_open_and_overdue_findings_per_organization_in_one_query(self, sides, django_assert_num_queries):
        with time_machine.travel("2026-03-02 09:00 +07:00", tick=False):
            of_a, of_child = inspect(sides), inspect(sides, inspected=sides.a_child)
            find(of_a, sides.superior_btv, deadline=datetime.date(2026, 3, 10))
            find(of_a, sides.superior_btv, deadline=datetime.date(2026, 6, 30))
            find(of_child, sides.superior_btv, deadline=datetime.date(2026, 3, 10))
            done = find(of_child, sides.superior_btv, deadline=datetime.date(2026, 3, 10))
            services.remediation_report(finding=fresh(done), user=sides.office_child, report="Đã khắc phục.")
            services.finding_check(finding=fresh(done), user=sides.superior_btv, accepted=True)
        day = datetime.date(2026, 4, 1)
        ids = [sides.a.pk, sides.a_child.pk, sides.b.pk, *range(10**6, 10**6 + 3000)]
        with django_assert_num_queries(1):
            counts = selectors.finding_counts(ids, today=day)
        assert len(counts) == len(ids)
        assert (counts[sides.a.pk], counts[sides.a_child.pk], counts[sides.b.pk]) == ((2, 1), (1, 1), (0, 0))
        assert selectors.findings_overdue(day).count() == 2
        assert selectors.open_findings_for([sides.a]).count() == 2


class TestPages:
    def test_it_shows_each_side_its_inspections(self, login, sides, finding):
        by_a = inspect(sides, inspecting=sides.a, inspected=sides.a_child, user=sides.btv_a)
        page = login(sides.superior_btv).get(reverse("inspections:list", args=[sides.city.pk])).content.decode()
        assert reverse("inspections:detail", args=[finding.inspection_id]) in page
        assert reverse("inspections:create", args=[sides.city.pk]) in page

        page = login(sides.office_a).get(reverse("inspections:list", args=[sides.a.pk])).content.decode()
        assert "được cấp trên kiểm tra, giám sát (1)" in page and "kiểm tra, giám sát cấp dưới (1)" in page
        assert reverse("inspections:detail", args=[by_a.pk]) in page

        # A committee member of A sees what A was found wanting in, not what A found in those below it.
        page = login(sides.member_a).get(reverse("inspections:list", args=[sides.a.pk])).content.decode()
        assert reverse("inspections:detail", args=[finding.inspection_id]) in page
        assert reverse("inspections:detail", args=[by_a.pk]) not in page
        page = login(sides.member_a).get(reverse("inspections:detail", args=[finding.inspection_id])).content.decode()
        assert finding.description in page and "Gửi báo cáo khắc phục" not in page

    def test_it_gives_404_to_a_sibling_a_subordinate_and_guessed_ids(self, login, sides, finding):
        urls = [
            reverse("inspections:list", args=[sides.a.pk]),
            reverse("inspections:detail", args=[finding.inspection_id]),
            reverse("inspections:finding_add", args=[finding.inspection_id]),
        ]
        for user in (sides.outsider, sides.btv_b, sides.office_child):
            client = login(user)
            for url in urls:
                assert client.get(url).status_code == 404, (user, url)
            report = reverse("inspections:finding_report", args=[finding.pk])
            assert client.post(report, {"f-report": "x"}).status_code == 404
            check = reverse("inspections:finding_check", args=[finding.pk])
            assert client.post(check, {"accepted": "1"}).status_code == 404
        client = login(sides.superior_btv)
        for name in ("detail", "finding_add", "finding_report", "finding_check"):
            assert client.get(reverse(f"inspections:{name}", args=[finding.pk + 999])).status_code in (404, 405)
            assert client.post(reverse(f"inspections:{name}", args=[finding.pk + 999])).status_code == 404
        assert fresh(finding).status == FindingStatus.OPEN

    def test_it_runs_the_cycle_through_the_pages(self, login, sides, in_force):
        client = login(sides.superior_btv)
        response = client.post(
            reverse("inspections:create", args=[sides.city.pk]),
            {"inspected": sides.a.pk, "kind": "inspection", "date": today().isoformat(),
             "team": "Đoàn kiểm tra Thành ủy", "scope": "Thực hiện quy chế làm việc."},
        )  # fmt: skip
        inspection = Inspection.objects.get()
        assert response["Location"] == reverse("inspections:detail", args=[inspection.pk])

        add = reverse("inspections:finding_add", args=[inspection.pk])
        article = meetings_article(in_force)
        choice = f"{in_force.regulation.pk}:{article.key}"
        suggested = client.get(reverse("inspections:finding_articles", args=[inspection.pk]), {"q": "điều 4"})
        assert f'data-id="{choice}"' in suggested.content.decode()
        data = {"kind": "limitation", "description": "Chưa họp đúng định kỳ.", "remediation": "Họp hằng tháng.",
                "deadline": (today() - DAY).isoformat(), "article": choice, "article_name": "Điều 4"}  # fmt: skip
        assert "Hạn khắc phục không thể trước hôm nay." in client.post(add, data).content.decode()
        client.post(add, {**data, "deadline": (today() + 10 * DAY).isoformat()})
        finding = Finding.objects.get()
        assert (finding.regulation, finding.article_label) == (in_force.regulation, "4")

        client = login(sides.office_a)
        page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
        assert "Gửi báo cáo khắc phục" in page and "Hậu kiểm: đã khắc phục" not in page
        client.post(reverse("inspections:finding_report", args=[finding.pk]), {f"f{finding.pk}-report": "Đã họp."})
        assert fresh(finding).status == FindingStatus.REPORTED
        assert (
            client.post(
                reverse("inspections:finding_check", args=[finding.pk]), {f"f{finding.pk}-accepted": "1"}
            ).status_code
            == 403
        )

        client = login(sides.superior_btv)
        check = reverse("inspections:finding_check", args=[finding.pk])
        response = client.post(check, {f"f{finding.pk}-accepted": "0"}, follow=True)
        assert "Cần ghi rõ nội dung chưa đạt" in response.content.decode()
        assert fresh(finding).status == FindingStatus.REPORTED
        client.post(check, {f"f{finding.pk}-accepted": "1", f"f{finding.pk}-comment": "Đạt."})
        assert fresh(finding).status == FindingStatus.CLOSED
        page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
        assert "Hậu kiểm: đã khắc phục" in page and "Đạt." in page  # the history, with the last step

    @pytest.mark.usefixtures("uncached_header")
    def test_it_shows_an_inspection_in_the_same_number_of_queries_whatever_its_findings(self, login, sides):
        small, large = inspect(sides), inspect(sides, inspected=sides.a_child)
        find(small, sides.superior_btv)
        for _ in range(6):
            finding = find(large, sides.superior_btv)
            services.remediation_report(finding=fresh(finding), user=sides.office_child, report="Đã khắc phục.")
        client = login(sides.superior_btv)
        counts = []
        for inspection in (small, large):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
