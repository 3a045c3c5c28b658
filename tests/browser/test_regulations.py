import pytest
from playwright.sync_api import expect

from regulations import services
from regulations.models import Version
from tests import factories
from tests.regulations import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_office_imports_reads_searches_follows_history_and_compares(cast, log_in, live_server, tmp_path):
    a = texts.ARTICLES
    source = tmp_path / "qclv-2025.txt"
    source.write_text(texts.regulation_text([a["scope"], a["principles"], a["btv"], a["meetings"]]), encoding="utf-8")
    page = log_in("office_a", factories.PASSWORD)

    # Import from a file: preview first, then save.
    page.goto(f"{live_server.url}/to-chuc/{cast.a.pk}/")
    page.get_by_role("link", name="Quy chế của tổ chức").click()
    page.get_by_role("link", name="Nhập văn bản quy chế").click()
    page.get_by_label("Hoặc chọn tệp .txt, .docx").set_input_files(str(source))
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("main")).to_contain_text("2 chương, 4 điều")
    page.get_by_role("button", name="Lưu văn bản").click()

    # Read it with its table of contents.
    expect(page.get_by_role("heading", level=1)).to_have_text("QUY CHẾ LÀM VIỆC")
    page.get_by_role("navigation", name="Mục lục").get_by_role("link", name="Điều 4. Chế độ họp").click()
    expect(page).to_have_url(f"{live_server.url}/van-ban/{Version.objects.get().pk}/#dieu-4")

    # The committee amends it (the amendment workflow is tested elsewhere): a second version.
    first = Version.objects.get()
    services.regulation_import(
        text=texts.regulation_text(
            [a["scope"], a["relations"], a["principles"], a["btv"], a["meetings"]],
            number="07-QC/ĐUK",
            date=(20, 3, 2026),
        ),
        user=cast.office_a,
        regulation=first.regulation,
    )

    # Find an article by a search typed without diacritics.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tìm kiếm").click()
    page.get_by_placeholder("Gõ có dấu hoặc không dấu").fill("tai lieu hoi nghi")
    results = page.locator("#search-results")
    expect(results).to_contain_text("Điều 5, khoản 2")
    results.get_by_role("link", name="Điều 5, khoản 2").first.click()
    expect(page).to_have_url(f"{live_server.url}/van-ban/{first.pk + 1}/#dieu-5")

    # Follow that article's history: it was Điều 4, and is now Điều 5, unchanged.
    page.locator("#dieu-5").get_by_role("link", name="Điều 5.").click()
    history = page.locator("main")
    expect(history).to_contain_text("01-QC/ĐUK")
    expect(history).to_contain_text("Điều 4")
    expect(history).to_contain_text("chỉ đánh số lại")

    # Compare the two versions.
    page.get_by_role("link", name=first.regulation.title).click()
    page.get_by_role("button", name="So sánh").click()
    expect(page.locator("main")).to_contain_text("bổ sung 1 điều")
    expect(page.locator("main")).to_contain_text("chỉ đánh số lại 3 điều")

    # A renumbered article's text is fetched when its row is opened.
    moved = page.locator("details").filter(has_text="Điều 4 thành Điều 5 (chỉ đánh số lại)")
    expect(moved.locator(".diff")).to_have_text("")
    moved.locator("summary").click()
    expect(moved.locator(".diff")).to_contain_text("Chế độ họp\n1. Ban Chấp hành họp thường lệ ba tháng một lần")


def test_recording_a_repeal_asks_first_and_a_refusal_changes_nothing(cast, import_text, log_in, live_server):
    version = import_text(texts.regulation_text([texts.ARTICLES["scope"]]), organization=cast.a)
    page = log_in("office_a", factories.PASSWORD)
    page.goto(f"{live_server.url}/van-ban/{version.pk}/")
    page.get_by_text("Ghi nhận quyết định bãi bỏ văn bản này").click()
    page.get_by_label("Số, ký hiệu quyết định bãi bỏ").fill("88-QĐ/ĐUK")
    page.get_by_label("Ngày bãi bỏ").fill("2026-05-01")
    page.get_by_label("Cơ quan ban hành quyết định").fill("Ban Thường vụ Đảng ủy Khối")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Ghi nhận bãi bỏ").click()
    page.wait_for_timeout(300)
    version.refresh_from_db()
    assert not version.is_repealed and "đã bị bãi bỏ?" in questions[0]

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Ghi nhận bãi bỏ").click()
    expect(page.locator("main")).to_contain_text("88-QĐ/ĐUK")
    version.refresh_from_db()
    assert version.is_repealed and len(questions) == 2
