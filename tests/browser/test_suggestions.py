import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews import services
from tests.amendments import act, refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECOND = "Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất năm ngày làm việc."


def test_a_member_suggests_wording_and_the_office_takes_it_into_the_draft(
    people, at_consultation, as_user, live_server
):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    draft = f"{live_server.url}/sua-doi/{at_consultation.pk}/du-thao/"

    # The member proposes new wording for khoản 2 of Điều 4 and sees the change word by word as it is typed.
    member = as_user("member_a")
    member.goto(draft)
    member.get_by_title("Đề nghị sửa khoản 2 Điều 4").click()
    expect(member.get_by_role("heading", name="Đề nghị sửa câu chữ: khoản 2 Điều 4")).to_be_visible()
    member.get_by_label("Câu chữ đề nghị").fill(
        SECOND.replace("năm ngày", "bảy ngày").replace("gửi trước", "gửi qua mạng")
    )
    preview = member.locator("#suggestion-preview")
    expect(preview.locator("del")).to_have_text(["trước", "năm"])
    expect(preview.locator("ins")).to_have_text(["qua mạng", "bảy"])
    member.get_by_label("Lý do").fill("Để ủy viên có đủ thời gian nghiên cứu.")
    member.get_by_role("button", name="Gửi đề nghị").click()
    expect(member.locator(".message")).to_contain_text("Đã lưu đề nghị sửa khoản 2 Điều 4")
    expect(member.locator("#dieu-4 .comment")).to_contain_text("Lý do: Để ủy viên có đủ thời gian nghiên cứu.")
    services.request_answer(amendment=refresh(at_consultation), user=people.member_a)
    act(at_consultation, people.office_a, "submit")

    # The office takes it in from the synthesis in one action; the draft reads the new wording.
    office = as_user("office_a")
    office.goto(f"{live_server.url}/sua-doi/{at_consultation.pk}/tong-hop/")
    row = office.locator("tr", has_text="Để ủy viên có đủ thời gian nghiên cứu.")
    expect(row).to_contain_text("Khoản 2 Điều 4")
    row.get_by_role("button", name="Tiếp thu và áp dụng vào dự thảo").click()
    expect(office.locator(".message")).to_contain_text("Đã tiếp thu và áp dụng 1 đề nghị vào dự thảo.")
    expect(office.locator("tr", has_text="Để ủy viên có đủ thời gian nghiên cứu.")).to_contain_text("Tiếp thu")
    office.goto(draft)
    expect(office.locator("#dieu-4")).to_contain_text(
        "2. Tài liệu hội nghị được gửi qua mạng cho các đồng chí ủy viên ít nhất bảy ngày làm việc."
    )
    office.goto(f"{live_server.url}/sua-doi/{at_consultation.pk}/doi-chieu/")
    expect(office.locator("main")).to_contain_text(f"Tiếp thu ý kiến của {people.member_a} (khoản 2 Điều 4)")
