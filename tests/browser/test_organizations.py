import pytest
from playwright.sync_api import expect

from organizations.models import OrganizationKind
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_superior_finds_an_organization_without_diacritics_and_opens_it(cast, log_in, live_server):
    for number in range(3):
        factories.organization(OrganizationKind.CELL, parent=cast.a_child, name=f"Chi bộ Phòng số {number + 2}")
    page = log_in("superior_btv", factories.PASSWORD)
    expect(page.get_by_label("Tổ chức của tôi")).to_contain_text("Thành ủy Thử nghiệm")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổ chức đảng").click()
    tree = page.locator("#tree-body")
    expect(tree).to_contain_text("Thành ủy Thử nghiệm")
    expect(tree).to_contain_text("2 TCCSĐ: 2 đảng bộ cơ sở")

    # Expand the city, then the bloc: children arrive through htmx with their counts.
    tree.locator(f"#node-{cast.city.pk} > details > summary").click()
    expect(tree).to_contain_text("Đảng ủy Khối Cơ quan thử nghiệm")
    tree.locator(f"#node-{cast.a.pk} > details > summary").click()
    expect(tree.locator(f"#node-{cast.a_child.pk}")).to_contain_text("4 chi bộ trực thuộc")

    page.get_by_placeholder("Tìm theo tên").fill("so tu phap")
    expect(tree).to_contain_text("Kết quả tìm")
    expect(tree).not_to_contain_text("Quận ủy Bình Thủy")
    tree.get_by_role("link", name="Đảng bộ Sở Tư pháp").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ Sở Tư pháp")
    expect(page.locator("main")).to_contain_text("Nhiệm kỳ 2025 - 2030")
    expect(page.locator("main")).to_contain_text("Chi bộ Phòng số 4")


def test_an_outsider_cannot_open_another_committees_page(cast, log_in, live_server):
    page = log_in("outsider", factories.PASSWORD)
    response = page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/")
    assert response.status == 404
    expect(page.locator("main")).to_contain_text("Không tìm thấy trang")
    expect(page.locator("main")).not_to_contain_text(cast.a.name)


def test_a_superior_reaches_the_last_of_many_children_in_the_tree_and_on_the_page(cast, log_in, live_server):
    factories.many_children(cast.a, 60)
    page = log_in("superior_btv", factories.PASSWORD)
    page.goto(f"{live_server.url}/to-chuc/")
    tree = page.locator("#tree-body")
    tree.locator(f"#node-{cast.city.pk} > details > summary").click()
    tree.locator(f"#node-{cast.a.pk} > details > summary").click()
    expect(tree).to_contain_text("Chi bộ cơ sở số 0049")
    expect(tree).not_to_contain_text("Chi bộ cơ sở số 0060")
    tree.get_by_role("link", name="Xem thêm tổ chức trực thuộc").click()
    expect(tree).to_contain_text("Chi bộ cơ sở số 0060")
    expect(tree.get_by_role("link", name="Xem thêm tổ chức trực thuộc")).to_have_count(0)
    expect(tree.locator(f"#node-{cast.a_child.pk}")).to_contain_text("1 chi bộ trực thuộc")

    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/")
    children = page.locator("#children")
    expect(children.locator(".node")).to_have_count(50)
    page.get_by_placeholder("Lọc theo tên").fill("chi bo co so so 0058")
    expect(children.locator(".node")).to_have_count(1)
    expect(children).to_contain_text("Chi bộ cơ sở số 0058")
