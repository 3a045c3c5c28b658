import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from organizations.models import OrganizationKind
from regulations import services as regulation_services
from regulations.models import RegulationKind
from tests import factories
from tests.regulations import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def subtree(cast, import_text):
    """Under A: a_child adapting half of the city's model since 1/1/2025 (long overdue for review),
    its cell a_cell, and a grassroots cell without any regulation."""
    a = texts.ARTICLES
    model = import_text(texts.regulation_text([a["scope"], a["btv"]], number="09-QC/TU"), organization=cast.city)
    model.regulation.kind = RegulationKind.MODEL
    model.regulation.save()
    adapted = import_text(
        texts.regulation_text([a["scope"]], number="01-QC/ĐU", date=(1, 1, 2025)), organization=cast.a_child
    )
    regulation_services.regulation_link_model(regulation=adapted.regulation, model=model.regulation, user=None)
    factories.organization(OrganizationKind.GRASSROOTS_CELL, parent=cast.a, name="Chi bộ Báo Cần Thơ")


def filter_overdue(page):
    """From A's page to its dashboard, filtered on overdue reviews; returns the table's rows."""
    page.get_by_role("link", name="Giám sát tổ chức trực thuộc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giám sát quy chế của các tổ chức trực thuộc")
    expect(page.locator("#dashboard-summary")).to_contain_text(
        "3 tổ chức (2 TCCSĐ): 1 có quy chế làm việc hiện hành, 2 chưa có; 1 quá hạn rà soát; 0 đang sửa đổi"
    )
    rows = page.get_by_role("table").get_by_role("row")
    without_rules = rows.filter(has=page.get_by_role("link", name="Chi bộ Báo Cần Thơ"))
    expect(without_rules).to_contain_text("Chưa có")
    expect(rows.filter(has=page.get_by_role("link", name="Chi bộ Văn phòng Sở"))).to_contain_text("Chưa có")

    # htmx swaps the rows in place and keeps the filter in the address.
    page.get_by_label("Tình trạng").select_option(label="Quá hạn rà soát")
    expect(without_rules).to_have_count(0)
    expect(page).to_have_url(re.compile(r"status=overdue"))
    return rows


def test_a_superior_filters_the_dashboard_drills_in_and_reads_the_conformance_report(
    cast, subtree, log_in, live_server
):
    page = log_in("superior_btv", factories.PASSWORD)
    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/")
    rows = filter_overdue(page)
    expect(page.locator("#dashboard-summary")).to_contain_text("1 tổ chức (1 TCCSĐ)")
    expect(rows.filter(has_text="Chi bộ Văn phòng Sở")).to_have_count(0)
    overdue = rows.filter(has=page.get_by_role("link", name="Đảng bộ Sở Tư pháp"))
    expect(overdue).to_contain_text("01-QC/ĐU")
    expect(overdue).to_contain_text("Quá hạn")

    # Drill into the organization: its regulations; then back to the filtered rows.
    overdue.get_by_role("link", name="Đảng bộ Sở Tư pháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quy chế của Đảng bộ Sở Tư pháp")
    page.go_back()
    expect(overdue).to_contain_text("Quá hạn")
    expect(rows.filter(has=page.get_by_role("link", name="Chi bộ Báo Cần Thơ"))).to_have_count(0)

    # The conformance figure links to the report.
    overdue.get_by_role("link", name="50%").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo phù hợp với quy chế mẫu")
    expect(page.locator("#conformance-figure")).to_have_text("50%")
    expect(page.locator("main")).to_contain_text("1/2 điều của quy chế mẫu")


def test_going_back_to_the_filtered_dashboard_shows_the_whole_page(cast, subtree, log_in, live_server):
    page = log_in("superior_btv", factories.PASSWORD)
    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/")
    filter_overdue(page)
    page.get_by_role("link", name="Đảng bộ Sở Tư pháp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quy chế của Đảng bộ Sở Tư pháp")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giám sát quy chế của các tổ chức trực thuộc")
    expect(page.get_by_label("Tình trạng")).to_have_value("overdue")


def test_the_files_downloaded_after_filtering_hold_the_rows_on_screen(cast, subtree, log_in, live_server):
    page = log_in("superior_btv", factories.PASSWORD)
    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/")
    rows = filter_overdue(page)
    expect(rows.filter(has=page.get_by_role("link", name="Chi bộ Văn phòng Sở"))).to_have_count(0)
    on_screen = [name.strip() for name in page.locator("table.dashboard tbody tr td:first-child a").all_inner_texts()]
    assert on_screen == ["Đảng bộ Sở Tư pháp"]

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    lines = list(csv.reader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == on_screen

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == on_screen


def test_a_superior_narrows_the_dashboard_to_a_branch_typed_and_chosen_with_the_keyboard(
    cast, subtree, log_in, live_server
):
    factories.organization(OrganizationKind.GRASSROOTS_CELL, parent=cast.a, name="Chi bộ Sở Tư pháp cũ", code="STPC")
    page = log_in("superior_btv", factories.PASSWORD)
    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/giam-sat/")
    field = page.get_by_role("combobox", name="Thuộc")
    rows = page.locator("table.dashboard tbody tr td:first-child a")
    expect(rows).to_have_count(4)

    # Without diacritics, by name; the suggestions come as the user types, by name.
    field.press_sequentially("so tu phap", delay=20)
    options = page.get_by_role("listbox", name="Tổ chức trực thuộc").get_by_role("option")
    expect(options).to_have_text([re.compile("^Chi bộ Sở Tư pháp cũ"), re.compile("^Đảng bộ Sở Tư pháp")])
    expect(field).to_have_attribute("aria-expanded", "true")
    field.press("ArrowDown")
    field.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", "id_within_suggestions-1")
    field.press("Enter")
    expect(rows).to_have_text(["Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"])
    expect(page.get_by_role("listbox", name="Tổ chức trực thuộc")).to_be_hidden()
    expect(field).to_have_value("Đảng bộ Sở Tư pháp")
    expect(page).to_have_url(re.compile(rf"within={cast.a_child.pk}"))
    expect(page.locator("#dashboard-summary")).to_contain_text("2 tổ chức")

    # Enter on a name typed that matches two: every row, and the page says why.
    field.fill("")
    field.press_sequentially("tu phap", delay=20)
    expect(options).to_have_count(2)
    field.press("Enter")
    expect(page.locator("#dashboard-errors")).to_contain_text("Có nhiều tổ chức trực thuộc khớp “tu phap”")
    expect(rows).to_have_count(4)

    # Nothing matches: said in the list; Escape closes it; an empty field and Enter: every branch.
    field.fill("")
    field.press_sequentially("zzz", delay=20)
    expect(options).to_have_text(["Không có tổ chức trực thuộc nào khớp “zzz”."])
    field.press("Escape")
    expect(page.get_by_role("listbox", name="Tổ chức trực thuộc")).to_be_hidden()
    field.fill("")
    field.press("Enter")
    expect(rows).to_have_count(4)
    expect(page.locator("#dashboard-errors")).to_be_hidden()

    # A click on a suggestion chooses it too.
    field.press_sequentially("STPC", delay=20)
    options.first.click()
    expect(rows).to_have_text(["Chi bộ Sở Tư pháp cũ"])


def test_without_javascript_the_branch_is_a_text_field_resolved_when_the_form_is_sent(
    cast, subtree, browser, live_server
):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("superior_btv")
    page.get_by_label("Mật khẩu").fill(factories.PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/giam-sat/")
    page.get_by_role("combobox", name="Thuộc").fill("dang bo so tu phap")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.dashboard tbody tr td:first-child a")).to_have_text(
        ["Đảng bộ Sở Tư pháp", "Chi bộ Văn phòng Sở"]
    )
    expect(page.get_by_role("combobox", name="Thuộc")).to_have_value("Đảng bộ Sở Tư pháp")
    context.close()
