import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_amendment(page, live_server, amendment_pk, tab=None):
    page.goto(f"{live_server.url}/sua-doi/{amendment_pk}/")
    if tab:
        page.get_by_role("navigation", name="Hồ sơ").get_by_role("link", name=tab).click()


def test_a_committee_runs_an_amendment_end_to_end(people, in_force, as_user, live_server):
    from reviews.models import Amendment

    # The office opens the dossier from the regulation and drafts a change to Điều 4.
    office = as_user("office_a")
    office.goto(f"{live_server.url}/quy-che/{in_force.regulation_id}/")
    office.get_by_role("link", name="Lập hồ sơ sửa đổi, bổ sung").click()
    office.get_by_label("Lý do sửa đổi, bổ sung").fill("Cập nhật chế độ gửi tài liệu hội nghị.")
    office.get_by_role("button", name="Lập hồ sơ").click()
    expect(office.locator(".message")).to_contain_text("Đã lập hồ sơ")
    amendment = Amendment.objects.get()

    open_amendment(office, live_server, amendment.pk, "Dự thảo")
    office.locator("#dieu-4").get_by_role("link", name="Sửa").click()
    body = office.get_by_label("Nội dung")
    body.fill(body.input_value().replace("ít nhất ba ngày làm việc", "ít nhất năm ngày làm việc"))
    office.get_by_label("Lý do thay đổi").fill("Để ủy viên có đủ thời gian nghiên cứu.")
    office.get_by_role("button", name="Lưu").click()
    expect(office.locator("#dieu-4")).to_contain_text("năm ngày làm việc")
    open_amendment(office, live_server, amendment.pk)
    office.get_by_role("button", name="Hoàn thành, trình bước tiếp theo").click()
    expect(office.locator(".message")).to_contain_text("Thường trực cho ý kiến")

    # Thường trực approves the content for consultation.
    secretary = as_user("bithu_a")
    open_amendment(secretary, live_server, amendment.pk)
    secretary.get_by_role("button", name="Đồng ý").click()
    expect(secretary.locator(".message")).to_contain_text("Lấy ý kiến")

    # The office asks a committee member for an opinion.
    open_amendment(office, live_server, amendment.pk, "Lấy ý kiến")
    office.get_by_label("Hạn trả lời").fill(f"{timezone.localdate():%Y-%m-%d}")
    office.get_by_label(str(people.member_a)).check()
    office.get_by_role("button", name="Gửi phiếu").click()
    expect(office.locator(".message")).to_contain_text("Đã gửi 1 phiếu")

    # The member comments on that article and sends the opinion.
    member = as_user("member_a")
    expect(member.get_by_role("link", name="Việc cần làm")).to_contain_text("1")
    open_amendment(member, live_server, amendment.pk, "Dự thảo")
    member.get_by_label("Góp ý Điều 4").fill("Đề nghị gửi tài liệu qua mạng nội bộ.")
    member.locator("#dieu-4").get_by_role("button", name="Lưu góp ý").click()
    expect(member.locator("#dieu-4")).to_contain_text("Đề nghị gửi tài liệu qua mạng nội bộ.")
    member.get_by_role("button", name="Gửi toàn bộ ý kiến").click()
    expect(member.locator(".message")).to_contain_text("Đã gửi ý kiến")

    # The office closes the consultation and gives the comment its disposition.
    open_amendment(office, live_server, amendment.pk)
    office.get_by_role("button", name="Kết thúc lấy ý kiến, chuyển tổng hợp").click()
    open_amendment(office, live_server, amendment.pk, "Tổng hợp ý kiến")
    office.get_by_role("radio", name="Tiếp thu").check()
    office.get_by_label("Nội dung tiếp thu / giải trình").fill("Đã bổ sung vào khoản 2.")
    office.get_by_role("button", name="Lưu").click()
    expect(office.locator(".synthesis")).to_contain_text("Đã bổ sung vào khoản 2.")
    open_amendment(office, live_server, amendment.pk)
    office.get_by_role("button", name="Hoàn thành, trình bước tiếp theo").click()
    open_amendment(secretary, live_server, amendment.pk)
    secretary.get_by_role("button", name="Đồng ý").click()

    # The BTV gives its opinion at a meeting.
    btv = as_user("btv_a")
    open_amendment(btv, live_server, amendment.pk)
    btv.get_by_label("Số thành viên có mặt").fill("2")
    btv.get_by_role("button", name="Đồng ý").click()
    expect(btv.locator(".message")).to_contain_text("Ban Chấp hành biểu quyết")

    # The BCH adopts it with votes; a vote without a majority of its six members is refused first.
    open_amendment(member, live_server, amendment.pk)
    member.get_by_label("Số thành viên có mặt").fill("5")
    member.get_by_label("Tán thành", exact=True).fill("3")
    member.get_by_role("button", name="Biểu quyết thông qua").click()
    expect(member.locator(".transition")).to_contain_text("chưa quá một nửa")
    expect(member.get_by_label("Số thành viên có mặt")).to_have_value("5")
    member.get_by_label("Tán thành", exact=True).fill("5")
    member.get_by_role("button", name="Biểu quyết thông qua").click()
    expect(member.locator(".message")).to_contain_text("Dự thảo đã được thông qua")

    # The office takes the number from the register, issues after a preview; the article's history shows the change.
    open_amendment(office, live_server, amendment.pk)
    office.get_by_role("link", name="Vào số và ban hành").click()
    office.get_by_role("button", name="Lấy số").click()
    expect(office.locator(".message")).to_contain_text("Đã lấy số 01-QC/ĐUK trong sổ đăng ký văn bản")
    office.get_by_role("button", name="Xem trước").click()
    office.get_by_role("button", name="Ban hành").click()
    expect(office.locator(".message")).to_contain_text("Đã ban hành 01-QC/ĐUK")
    office.locator("#dieu-4").get_by_role("link", name="Điều 4.").click()
    history = office.locator("main")
    expect(history).to_contain_text("01-QC/ĐUK")
    expect(history).to_contain_text("ngày 15/09/2025")  # the text it amended, numbered in its own year
    expect(history).to_contain_text(f"ngày {timezone.localdate():%d/%m/%Y}")
    expect(history).to_contain_text("sửa đổi")
    expect(history).to_contain_text("Để ủy viên có đủ thời gian nghiên cứu.")
