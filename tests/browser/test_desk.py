"""The desk in Chromium: the office submits a dossier to Thường trực; a member of Thường trực logs in, finds it on
the desk with its count, opens it, and the "Đang chờ" block names their body; from the notification, Thường trực
approves and the BTV's member finds it on their own desk. On a phone (390 px) the desk and the dossier fit the
screen's width."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews import services
from tests import factories
from tests.amendments import act, edit_meetings_article, refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_thuong_truc_member_finds_the_submitted_dossier_on_the_desk(people, amendment, as_user, live_server):
    edit_meetings_article(amendment, people.office_a)

    office = as_user("office_a")
    office.goto(f"{live_server.url}/sua-doi/{amendment.pk}/")
    expect(office.locator(".waiting")).to_contain_text("Tổ công tác")
    office.get_by_role("button", name="Hoàn thành, trình bước tiếp theo").click()
    expect(office.locator(".messages")).to_contain_text("Thường trực cho ý kiến")

    member = as_user("bithu_a")  # Bí thư: sits in Thường trực
    awaiting = member.locator(".desk-awaiting")
    expect(awaiting.locator(".tallies li").first).to_have_text("1 hồ sơ chờ xử lý")
    expect(member.locator("header").get_by_label("1 việc")).to_be_visible()
    awaiting.get_by_role("link", name=amendment.title).click()
    expect(member).to_have_url(f"{live_server.url}/sua-doi/{amendment.pk}/")
    waiting = member.locator(".waiting")
    expect(waiting).to_contain_text("Thường trực Đảng ủy Khối Cơ quan thử nghiệm")
    expect(waiting).to_contain_text("Nguyễn Văn Long")
    expect(member.get_by_role("button", name="Đồng ý")).to_be_visible()


def test_from_the_notification_thuong_truc_approves_and_the_btv_member_is_told(people, amendment, as_user, live_server):
    """The journey of issue #15: nobody is told by hand who acts next."""
    edit_meetings_article(amendment, people.office_a)
    # Drafting, the first Thường trực and the consultation go by the services: they are not the point here.
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    services.request_answer(amendment=refresh(amendment), user=people.member_a, no_comment=True)
    act(amendment, people.office_a, "submit")

    # The office has synthesised the opinions and sends the draft to Thường trực.
    office = as_user("office_a")
    office.goto(f"{live_server.url}/sua-doi/{amendment.pk}/")
    office.get_by_role("button", name="Hoàn thành, trình bước tiếp theo").click()
    expect(office.locator(".messages")).to_contain_text("Thường trực xem xét dự thảo đã tiếp thu")

    # The Bí thư (Thường trực) is told in the header, opens the notification and lands on the dossier.
    bithu = as_user("bithu_a")
    expect(bithu.locator(".desk-awaiting .tallies li").first).to_have_text("1 hồ sơ chờ xử lý")
    bithu.locator("header").get_by_role("link", name="Thông báo").click()
    told = bithu.locator(".notifications li.unread").filter(has_text="Thường trực xem xét dự thảo đã tiếp thu")
    expect(told).to_have_count(1)
    told.get_by_role("button").click()
    expect(bithu).to_have_url(f"{live_server.url}/sua-doi/{amendment.pk}/")
    expect(bithu.locator(".waiting")).to_contain_text("Thường trực Đảng ủy Khối Cơ quan thử nghiệm")
    bithu.get_by_role("button", name="Đồng ý").click()
    expect(bithu.locator(".messages")).to_contain_text("Ban Thường vụ cho ý kiến")

    # The BTV's other member finds it on the desk and among the notifications; the Bí thư, who approved, is
    # a member of the BTV too but was not told of his own act.
    btv = as_user("btv_a")
    awaiting = btv.locator(".desk-awaiting")
    expect(awaiting.locator(".tallies li").first).to_have_text("1 hồ sơ chờ xử lý")
    expect(awaiting.get_by_role("link", name=amendment.title)).to_be_visible()
    btv.locator("header").get_by_role("link", name="Thông báo").click()
    expect(btv.locator(".notifications li.unread").filter(has_text="Ban Thường vụ cho ý kiến")).to_have_count(1)
    bithu.locator("header").get_by_role("link", name="Thông báo").click()
    expect(bithu.locator(".notifications li").filter(has_text="Ban Thường vụ cho ý kiến")).to_have_count(0)
    # The notification he opened is read.
    expect(bithu.locator(".notifications li.unread").filter(has_text="Thường trực xem xét")).to_have_count(0)
    btv.locator(".notifications li").filter(has_text="Ban Thường vụ cho ý kiến").get_by_role("button").click()
    expect(btv.locator(".waiting")).to_contain_text("Ban Thường vụ Đảng ủy Khối Cơ quan thử nghiệm")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_the_desk_and_the_dossier_need_no_sideways_scrolling(people, amendment, browser, live_server):
    edit_meetings_article(amendment, people.office_a)
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    try:
        phone = context.new_page()
        phone.goto(f"{live_server.url}/dang-nhap/")
        phone.get_by_label("Tên đăng nhập").fill("office_a")
        phone.get_by_label("Mật khẩu").fill(factories.PASSWORD)
        phone.get_by_role("button", name="Đăng nhập").click()
        phone.wait_for_url(f"{live_server.url}/")
        expect(phone.locator(".desk-awaiting")).to_be_visible()
        assert fits(phone)
        for path in (f"/sua-doi/{amendment.pk}/", "/sua-doi/", "/viec-can-lam/"):
            phone.goto(f"{live_server.url}{path}")
            assert fits(phone), path
    finally:
        context.close()
