import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews import services
from reviews.models import Comment
from tests import factories
from tests.amendments import refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_loses_no_comment_between_saving_reloading_and_sending(people, at_consultation, log_in, live_server):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    page = log_in("member_a", factories.PASSWORD)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/sua-doi/{at_consultation.pk}/du-thao/")
    page.evaluate("window.sameVisit = true")

    # Two comments typed; one saved in place, the other box keeps its text.
    page.get_by_label("Góp ý Điều 2").fill("Bổ sung nguyên tắc công khai.")
    page.get_by_label("Góp ý Điều 4").fill("Đề nghị gửi tài liệu qua mạng nội bộ.")
    page.locator("#dieu-2").get_by_role("button", name="Lưu góp ý").click()
    expect(page.locator("#dieu-2 .comment")).to_contain_text("Bổ sung nguyên tắc công khai.")
    expect(page.get_by_label("Góp ý Điều 2")).to_have_value("")
    expect(page.get_by_label("Góp ý Điều 4")).to_have_value("Đề nghị gửi tài liệu qua mạng nội bộ.")
    assert page.evaluate("window.sameVisit") is True  # no reload

    # Leaving with text in a box is warned about; accepted, the unsaved text is gone and the saved one stays.
    page.reload()
    assert dialogs == ["beforeunload"]
    expect(page.locator("#dieu-2 .comment")).to_contain_text("Bổ sung nguyên tắc công khai.")
    expect(page.get_by_label("Góp ý Điều 4")).to_have_value("")
    expect(page.locator("main")).not_to_contain_text("Đề nghị gửi tài liệu qua mạng nội bộ.")

    # "Không có ý kiến" with text in a box says the text would be dropped; going back keeps it.
    page.get_by_label("Góp ý Điều 4").fill("Đề nghị gửi tài liệu qua mạng nội bộ.")
    page.get_by_role("button", name="Không có ý kiến").click()
    dropping = page.get_by_role("dialog", name="Trả lời “Không có ý kiến”?")
    expect(dropping).to_contain_text("sẽ bị bỏ")
    expect(dropping).to_contain_text("Điều 4: Đề nghị gửi tài liệu qua mạng nội bộ.")
    dropping.get_by_role("button", name="Quay lại").click()
    expect(dropping).to_be_hidden()
    expect(page.get_by_label("Góp ý Điều 4")).to_have_value("Đề nghị gửi tài liệu qua mạng nội bộ.")

    # Sending the answer lists the text still in the boxes, and sends it once confirmed.
    page.get_by_label("Ý kiến về toàn văn dự thảo").fill("Thống nhất với dự thảo.")
    page.get_by_role("button", name="Gửi toàn bộ ý kiến").click()
    confirm = page.get_by_role("dialog", name="Gửi toàn bộ ý kiến?")
    expect(confirm).to_contain_text("Toàn văn: Thống nhất với dự thảo.")
    expect(confirm).to_contain_text("Điều 4: Đề nghị gửi tài liệu qua mạng nội bộ.")
    confirm.get_by_role("button", name="Gửi cả các góp ý này").click()
    expect(page.locator(".message")).to_contain_text("Đã gửi ý kiến cùng 2 góp ý vừa nhập")
    assert dialogs == ["beforeunload"]  # sending is not leaving
    assert sorted(Comment.objects.values_list("article_label", "text")) == [
        ("", "Thống nhất với dự thảo."),
        ("2", "Bổ sung nguyên tắc công khai."),
        ("4", "Đề nghị gửi tài liệu qua mạng nội bộ."),
    ]
    assert refresh(at_consultation).requests.get().answered_at is not None
