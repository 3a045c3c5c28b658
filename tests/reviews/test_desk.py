"""The home page is each person's desk: what awaits them (counted, nearest deadlines first), their organizations
and roles, the regulations they work with and where each stands, and their latest notifications; in a fixed
number of queries, for one role or many; nothing of another committee."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from notifications import services as notification_services
from organizations.models import BodyKind, OrganizationKind, Role
from reviews import selectors, services
from tests import factories
from tests.amendments import act, edit_meetings_article, refresh
from tests.regulations import texts

DAY = datetime.timedelta(days=1)
TEXT = [texts.ARTICLES[name] for name in ("scope", "principles", "btv", "meetings")]


def desk_of(client) -> str:
    return client.get(reverse("home")).content.decode()


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find('<section class="card"', start)
    return page[start : end if end > 0 else len(page)]


@pytest.fixture
def child_work(people, at_consultation, import_text):
    """What awaits A's đảng bộ cơ sở's office (office_child): A's consultation asks its organization; its own
    dossier is being drafted; a second text of its, in force since 2025, is overdue for review; and the Khối found
    a shortcoming it must remedy within a month."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + 5 * DAY,
        organizations=[people.a_child],
    )  # fmt: skip
    drafted = import_text(texts.regulation_text(TEXT, number="01-QC/ĐU"), organization=people.a_child)
    dossier = services.amendment_start(regulation=drafted.regulation, user=people.office_child, title="Hồ sơ cơ sở")
    overdue = import_text(
        texts.regulation_text(TEXT, number="02-QC/ĐU"), organization=people.a_child, user=people.office_child
    ).regulation
    inspection = inspection_services.inspection_create(
        inspecting=people.a, inspected=people.a_child, user=people.office_a, kind="inspection",
        date=timezone.localdate(), team="Đồng chí Trần Văn Bình, Trưởng đoàn", scope="Việc thực hiện quy chế.",
    )  # fmt: skip
    finding = inspection_services.finding_add(
        inspection=inspection, user=people.office_a, kind="fault",
        description="Đảng ủy không họp định kỳ hằng tháng.", remediation="Họp đủ, lưu biên bản.",
        deadline=timezone.localdate() + 30 * DAY,
    )  # fmt: skip
    return dossier, overdue, finding


def test_it_counts_what_awaits_and_lists_the_nearest_deadlines_first(login, people, child_work, at_consultation):
    dossier, overdue, finding = child_work
    assert overdue.next_review_on < timezone.localdate()
    page = desk_of(login(people.office_child))
    awaiting = section(page, "viec-cho")
    for count, what in ((1, "hồ sơ chờ xử lý"), (1, "phiếu lấy ý kiến cần trả lời"), (1, "hạn chế cần khắc phục"),
                        (1, "quy chế đến hạn rà soát")):  # fmt: skip
        assert f"<strong>{count}</strong> {what}" in awaiting
    deadlines = section(page, "viec-cho").split("<h3>Hạn gần nhất</h3>")[1].split("<h3>")[0]
    links = re.findall(r'href="([^"]+)"', deadlines)
    assert links == [
        reverse("regulations:detail", args=[overdue.pk]),  # overdue for review since 2026
        reverse("reviews:draft", args=[at_consultation.pk]),  # to answer within five days
        reverse("inspections:detail", args=[finding.inspection_id]) + f"#han-che-{finding.pk}",  # within a month
    ]
    assert "(quá hạn)" in deadlines.split("</li>")[0]
    assert reverse("reviews:detail", args=[dossier.pk]) in awaiting
    # The header counts the same four kinds as the desk and Việc cần làm.
    assert 'aria-label="4 việc"' in page


def test_viec_can_lam_lists_the_findings_and_the_reviews_too(login, people, child_work):
    _dossier, overdue, finding = child_work
    page = login(people.office_child).get(reverse("reviews:todo")).content.decode()
    assert "Hạn chế, khuyết điểm cần khắc phục (1)" in page and "Đảng ủy không họp định kỳ hằng tháng." in page
    assert "Quy chế đến hạn rà soát (1)" in page and reverse("regulations:detail", args=[overdue.pk]) in page
    assert selectors.awaiting_count(people.office_child) == 4


def test_a_review_counts_only_from_the_notice_its_office_set(people, import_text):
    version = import_text(texts.regulation_text(TEXT, number="03-QC/ĐUK"))
    regulation = version.regulation
    today = timezone.localdate()
    assert selectors.review_begins(regulation) == regulation.next_review_on - 14 * DAY
    notification_services.reminder_settings_save(organization=people.a, user=people.office_a, review_notice_days=30,
                                                 review_escalation_days=30, term_rules_days=90,
                                                 consultation_notice_days=3, stalled_stage_days=14)  # fmt: skip
    regulation = type(regulation).objects.select_related("organization__reminder_settings").get(pk=regulation.pk)
    assert selectors.review_begins(regulation) == regulation.next_review_on - 30 * DAY
    due = selectors.awaiting(people.office_a)["reviews"]
    assert (regulation in due) == (today >= regulation.next_review_on - 30 * DAY)


def test_it_shows_each_organization_once_with_its_roles(login, people):
    page = desk_of(login(people.bithu_a))
    mine = section(page, "to-chuc-cua-toi")
    assert mine.count("Đảng ủy Khối Cơ quan thử nghiệm") == 1
    assert "Bí thư (Ban Chấp hành, Ban Thường vụ, Thường trực)" in mine
    header = page[page.index('aria-label="Tổ chức của tôi"') :].split("</ul>")[0]
    assert header.count("Đảng ủy Khối Cơ quan thử nghiệm") == 1
    roles = section(desk_of(login(people.btv_a)), "to-chuc-cua-toi")
    assert "Cấp ủy viên (Ban Chấp hành); Ủy viên Ban Thường vụ" in roles


def test_a_thuong_truc_member_finds_the_dossier_at_their_body(login, people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    awaiting = section(desk_of(login(people.bithu_a)), "viec-cho")
    assert "<strong>1</strong> hồ sơ chờ xử lý" in awaiting
    assert reverse("reviews:detail", args=[amendment.pk]) in awaiting
    assert "Thường trực cho ý kiến về nội dung để lấy ý kiến" in awaiting


def test_it_lists_the_regulations_i_work_with_and_where_each_stands(login, people, amendment, import_text):
    overdue = import_text(texts.regulation_text(TEXT, number="04-QC/ĐUK")).regulation
    mine = section(desk_of(login(people.member_a)), "quy-che-cua-toi")
    amendment_link = f'href="{reverse("reviews:detail", args=[amendment.pk])}"'
    assert amendment_link in mine and "Đang sửa đổi: Tổ công tác soạn thảo dự thảo" in mine
    assert reverse("regulations:detail", args=[overdue.pk]) in mine
    assert f"Quá hạn rà soát ({overdue.next_review_on:%d/%m/%Y})" in mine


def test_recent_activity_is_the_latest_five_notifications(login, people):
    for number in range(7):
        notification_services.notify(
            recipient_id=people.member_a.pk, reason="stage_stalled", subject=f"amendment:{number}",
            title=f"Thông báo số {number}", body="", url=reverse("reviews:list"),
        )  # fmt: skip
    recent = section(desk_of(login(people.member_a)), "hoat-dong")
    shown = re.findall(r"Thông báo số (\d)", recent)
    assert shown == ["6", "5", "4", "3", "2"]


def test_the_desk_never_shows_another_committees_dossier_or_texts(login, people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + 3 * DAY,
        users=[people.member_a], organizations=[people.a_child],
    )  # fmt: skip
    page = desk_of(login(people.outsider))
    assert at_consultation.title not in page
    assert at_consultation.regulation.title not in page
    assert reverse("reviews:detail", args=[at_consultation.pk]) not in page
    assert "Quận ủy Bình Thủy" in section(page, "to-chuc-cua-toi")
    assert "<strong>0</strong> hồ sơ chờ xử lý" in page


def test_anonymous_is_sent_to_log_in_and_a_person_without_a_seat_is_welcomed_plainly(client, login, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = desk_of(login(factories.UserFactory()))
    assert "Bạn chưa giữ chức vụ nào" in page and 'id="viec-cho"' not in page


# Session, user, seats; the desk's lists (dossiers and consultations, and for an office its findings and its
# regulations due for review: the four of Việc cần làm), its regulations and its notifications; then the header's
# counts, afresh here (uncached_header): Thông báo, and Việc cần làm's two or four. A plain member of a BCH drafts
# for no one, so there are no findings or reviews to read.
DESK_QUERIES = {"one role": 10, "many roles": 14}


@pytest.fixture
def many_roles(people, child_work):
    """A person of many seats: A's office and BCH, the Bí thư of A's đảng bộ cơ sở, the city's BTV."""
    person = factories.UserFactory(username="nhieu_chuc_vu")
    factories.seat(person, people.a, BodyKind.OFFICE, Role.OFFICE_STAFF)
    factories.seat(person, people.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    factories.seat(person, people.a_child, BodyKind.EXECUTIVE, Role.SECRETARY)
    factories.seat(person, people.city, BodyKind.STANDING, Role.STANDING_MEMBER)
    return person


def grow(people, import_text):
    """More of everything a desk lists: regulations, dossiers, consultations, findings, notifications."""
    for number in range(3):
        version = import_text(texts.regulation_text(TEXT, number=f"1{number}-QC/ĐUK"))
        amendment = services.amendment_start(regulation=version.regulation, user=people.office_a)
        edit_meetings_article(amendment, people.office_a)
        act(amendment, people.office_a, "submit")
        act(amendment, people.bithu_a)
        services.requests_create(
            amendment=refresh(amendment), user=people.office_a, due=timezone.localdate() + (number + 1) * DAY,
            users=[people.member_a], organizations=[people.a_child],
        )  # fmt: skip
    for user in get_user_model().objects.all():
        notification_services.notify(recipient_id=user.pk, reason="stage_stalled", subject="grow", title="Thêm",
                                     body="", url="/")  # fmt: skip


@pytest.mark.usefixtures("uncached_header")
@pytest.mark.parametrize("who", sorted(DESK_QUERIES))
def test_the_desk_costs_a_fixed_number_of_queries(login, people, many_roles, import_text, who,
                                                  django_assert_num_queries):  # fmt: skip
    person = people.member_a if who == "one role" else many_roles
    client = login(person)
    with django_assert_num_queries(DESK_QUERIES[who]):
        assert client.get(reverse("home")).status_code == 200
    grow(people, import_text)
    with django_assert_num_queries(DESK_QUERIES[who]):
        page = client.get(reverse("home")).content.decode()
    asked = 3 if who == "one role" else 4  # the three new consultations (and, for A's đảng bộ cơ sở, one more)
    assert f"<strong>{asked}</strong> phiếu lấy ý kiến cần trả lời" in page and "Thêm" in page


def test_a_desk_of_a_chi_bo_secretary_names_the_chi_bo_committee(login, people):
    cell = factories.organization(OrganizationKind.CELL, parent=people.a_child, name="Chi bộ Phòng Tổ chức", code="CB2")
    secretary = factories.UserFactory()
    factories.seat(secretary, cell, BodyKind.EXECUTIVE, Role.SECRETARY)
    assert "Bí thư (Chi ủy)" in section(desk_of(login(secretary)), "to-chuc-cua-toi")


def test_an_offices_header_count_follows_a_new_finding_at_once(login, people):
    def badge(client) -> str:
        found = re.search(r'aria-label="(\d+) việc"', client.get(reverse("organizations:tree")).content.decode())
        return found.group(1) if found else "0"

    client = login(people.office_child)
    assert badge(client) == "0"
    inspection = inspection_services.inspection_create(
        inspecting=people.a, inspected=people.a_child, user=people.office_a, kind="supervision",
        date=timezone.localdate(), team="Đoàn giám sát Đảng ủy Khối", scope="Việc thực hiện quy chế.",
    )  # fmt: skip
    inspection_services.finding_add(
        inspection=inspection, user=people.office_a, kind="limitation", description="Chưa lưu đủ biên bản.",
        remediation="Lưu đủ biên bản.", deadline=timezone.localdate() + 10 * DAY,
    )  # fmt: skip
    assert badge(client) == "1"


def test_the_kept_desk_follows_each_change_at_once(login, people, amendment):
    """The desk is kept for the person and the day; whatever changes what it shows is seen on the next visit."""
    client = login(people.bithu_a)
    dossier = reverse("reviews:detail", args=[amendment.pk])
    assert "<strong>0</strong> hồ sơ chờ xử lý" in section(desk_of(client), "viec-cho")
    assert dossier not in client.get(reverse("reviews:todo")).content.decode()
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")  # to Thường trực, where the Bí thư sits; he is told
    page = desk_of(client)
    assert "<strong>1</strong> hồ sơ chờ xử lý" in section(page, "viec-cho")
    assert dossier in client.get(reverse("reviews:todo")).content.decode()
    told = people.bithu_a.notifications.get()
    assert f'<li class="unread"><form method="post" action="{reverse("notifications:open", args=[told.pk])}"' in page
    client.post(reverse("notifications:open", args=[told.pk]))
    assert '<li class="unread">' not in section(desk_of(client), "hoat-dong")

    factories.seat(people.bithu_a, people.a_child, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    assert "Đảng bộ Sở Tư pháp" in section(desk_of(client), "to-chuc-cua-toi")

    office = login(people.office_child)
    assert "<strong>0</strong> hạn chế cần khắc phục" in section(desk_of(office), "viec-cho")
    assert "Chưa lưu đủ biên bản." not in office.get(reverse("reviews:todo")).content.decode()
    inspection = inspection_services.inspection_create(
        inspecting=people.a, inspected=people.a_child, user=people.office_a, kind="supervision",
        date=timezone.localdate(), team="Đoàn giám sát Đảng ủy Khối", scope="Việc thực hiện quy chế.",
    )  # fmt: skip
    inspection_services.finding_add(
        inspection=inspection, user=people.office_a, kind="limitation", description="Chưa lưu đủ biên bản.",
        remediation="Lưu đủ biên bản.", deadline=timezone.localdate() + 10 * DAY,
    )  # fmt: skip
    assert "<strong>1</strong> hạn chế cần khắc phục" in section(desk_of(office), "viec-cho")
    assert "Chưa lưu đủ biên bản." in office.get(reverse("reviews:todo")).content.decode()
