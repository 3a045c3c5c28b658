"""Choosers in the browser (quyche/choosers.py): an inspection's target and a working-group member are typed,
picked with the keyboard and sent; without JavaScript a name that matches several comes back as radio buttons.
axe-core finds nothing serious on the form with its suggestions open."""

import re

import pytest
from playwright.sync_api import expect

from inspections.models import Inspection
from organizations.models import OrganizationKind
from reviews.models import WorkingGroupMember
from tests import factories
from tests.browser.test_layout_pages import AXE, AXE_RUN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offices(cast):
    """A second "Chi bộ Văn phòng Sở", under B's đảng bộ: one name twice, as a province has some fifty times."""
    factories.organization(OrganizationKind.CELL, parent=cast.b_child, name="Chi bộ Văn phòng Sở", code="CB1")
    return cast


def axe_problems(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated, not a <script>: the CSP refuses inline ones
    return page.evaluate(AXE_RUN)


def test_the_superior_types_part_of_a_name_picks_the_target_with_the_keyboard_and_sends_the_inspection(
    offices, log_in, live_server
):
    page = log_in("superior_btv", factories.PASSWORD)
    page.goto(f"{live_server.url}/to-chuc/{offices.city.pk}/kiem-tra/moi/")
    field = page.get_by_role("combobox", name="Tổ chức được kiểm tra, giám sát")
    field.focus()
    field.press_sequentially("van phong", delay=20)
    options = page.get_by_role("listbox", name="Tổ chức cấp dưới").get_by_role("option")
    # Both offices, each with the organization it belongs to.
    expect(options).to_have_text(
        [
            re.compile("^Chi bộ Văn phòng Sở .*thuộc Đảng bộ phường Bùi Hữu Nghĩa"),
            re.compile("^Chi bộ Văn phòng Sở .*thuộc Đảng bộ Sở Tư pháp"),
        ]
    )
    assert axe_problems(page) == []
    # Words of the parent's name narrow it to one.
    field.press_sequentially(" tu phap", delay=20)
    expect(options).to_have_count(1)
    field.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", "id_inspected_suggestions-0")
    field.press("Enter")
    expect(field).to_have_value("Chi bộ Văn phòng Sở")
    expect(page.get_by_role("listbox", name="Tổ chức cấp dưới")).to_be_hidden()
    expect(page).to_have_url(re.compile("/kiem-tra/moi/$"))  # Enter chose; it sent nothing

    field.press("Tab")
    page.keyboard.press("Tab")  # the form's date
    page.get_by_label("Thành phần đoàn").fill("Đoàn kiểm tra Thành ủy")
    page.get_by_label("Nội dung, phạm vi").fill("Việc thực hiện quy chế làm việc.")
    page.get_by_role("button", name="Lập").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi bộ Văn phòng Sở")
    assert Inspection.objects.get().inspected == offices.a_cell


def test_without_javascript_a_name_matching_several_comes_back_to_be_picked(offices, browser, live_server):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("superior_btv")
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/to-chuc/{offices.city.pk}/kiem-tra/moi/")
    page.get_by_role("combobox", name="Tổ chức được kiểm tra, giám sát").fill("chi bo van phong so")
    page.get_by_label("Thành phần đoàn").fill("Đoàn kiểm tra Thành ủy")
    page.get_by_label("Nội dung, phạm vi").fill("Việc thực hiện quy chế làm việc.")
    page.get_by_role("button", name="Lập").click()
    expect(page.locator(".errorlist")).to_contain_text("Có nhiều tổ chức cấp dưới khớp “chi bo van phong so”")
    assert not Inspection.objects.exists()
    picks = page.get_by_role("group", name=re.compile("chọn một tổ chức cấp dưới"))
    picks.get_by_role("radio", name=re.compile("Đảng bộ Sở Tư pháp")).check()
    page.get_by_role("button", name="Lập").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chi bộ Văn phòng Sở")
    assert Inspection.objects.get().inspected == offices.a_cell
    context.close()


def test_the_office_adds_a_working_group_member_found_by_name(people, amendment, log_in, live_server):
    guest = factories.UserFactory(username="vanphong_ubnd", last_name="Trần Thị", first_name="Hoa")
    factories.UserFactory(username="tran_thi_hong", last_name="Trần Thị", first_name="Hồng")
    page = log_in("office_a", factories.PASSWORD)
    page.goto(f"{live_server.url}/sua-doi/{amendment.pk}/")
    field = page.get_by_role("combobox", name="Thành viên")
    field.press_sequentially("tran thi", delay=20)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options).to_have_text(
        [re.compile("^Trần Thị Hoa vanphong_ubnd"), re.compile("^Trần Thị Hồng tran_thi_hong")]
    )
    assert axe_problems(page) == []
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value("Trần Thị Hoa")
    page.get_by_label("Đơn vị công tác").fill("Văn phòng UBND")
    page.get_by_label("Đơn vị công tác").press("Enter")
    expect(page.locator(".message")).to_contain_text("Đã thêm Trần Thị Hoa vào tổ công tác.")
    expect(page.locator("section", has=page.get_by_role("heading", name="Tổ công tác", exact=True))).to_contain_text(
        "Trần Thị Hoa – Thành viên (Văn phòng UBND)"
    )
    assert WorkingGroupMember.objects.filter(amendment=amendment, user=guest, removed_at=None).exists()
