"""The desk in Chromium: the office submits a dossier to Thường trực; a member of Thường trực logs in, finds it on
the desk with its count, opens it, and the "Đang chờ" block names their body. On a phone (390 px) the desk and the
dossier fit the screen's width."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.amendments import edit_meetings_article

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
