"""The consultation's recipients in the browser: a filter that ignores diacritics, "chọn tất cả" per group."""

from organizations.models import OrganizationKind
from tests import factories
from tests.amendments import at_consultation  # noqa: F401  (fixture)


def test_the_office_filters_the_recipients_and_checks_a_whole_group(people, at_consultation, log_in, live_server):  # noqa: F811
    for name in ("Chi bộ Sở Ngoại vụ", "Chi bộ Sở Nội vụ", "Chi bộ Bệnh viện Đa khoa"):
        factories.organization(OrganizationKind.GRASSROOTS_CELL, parent=people.a, name=name)
    people.office_a.set_password("pw")
    people.office_a.save()
    page = log_in("office_a", "pw")
    page.goto(f"{live_server.url}/sua-doi/{at_consultation.pk}/lay-y-kien/")
    cells = page.get_by_role("group", name="Chi bộ cơ sở")
    page.get_by_label("Lọc theo tên").fill("so noi vu")  # typed without diacritics
    assert cells.get_by_role("checkbox").filter(visible=True).count() == 2  # "chọn tất cả" and Sở Nội vụ
    assert page.get_by_role("group", name="Đảng bộ cơ sở").is_hidden()
    cells.get_by_label("Chọn tất cả").check()
    page.get_by_label("Lọc theo tên").fill("")
    assert page.get_by_label("Chi bộ Sở Nội vụ").is_checked()
    assert not page.get_by_label("Chi bộ Sở Ngoại vụ").is_checked()  # hidden by the filter: left as it was
    assert cells.get_by_label("Chọn tất cả").evaluate("box => box.indeterminate")
    page.get_by_label("Hạn trả lời").fill("2099-01-01")
    page.get_by_role("button", name="Gửi phiếu").click()
    page.get_by_text("Đã gửi 1 phiếu lấy ý kiến.").wait_for()
    assert [r.organization.name for r in at_consultation.requests.select_related("organization")] == [
        "Chi bộ Sở Nội vụ"
    ]
