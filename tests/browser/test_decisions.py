"""The BCH's decision and the issuance in Chromium, on texts imported from the command line."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from regulations.models import Version
from reviews import services
from reviews.models import Amendment, StageKind
from tests import factories
from tests.amendments import act, meeting, refresh
from tests.pdf import poppler
from tests.regulations import texts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def import_regulation(tmp_path, capsys, text, organization) -> Version:
    """As the office's administrator would, with `manage.py import_regulation FILE --organization ID`."""
    path = tmp_path / f"van-ban-{len(list(tmp_path.iterdir()))}.txt"
    path.write_text(text, encoding="utf-8")
    call_command("import_regulation", str(path), organization=organization.pk)
    return Version.objects.get(pk=json.loads(capsys.readouterr().out)["version_id"])


def test_the_bch_decides_at_a_quorum_and_the_office_issues_with_a_free_number(
    people, as_user, live_server, tmp_path, capsys
):
    a = texts.ARTICLES
    today = timezone.localdate()
    in_force = import_regulation(
        tmp_path, capsys, texts.regulation_text([a["scope"], a["principles"], a["btv"], a["meetings"]]), people.a
    )
    # The UBKT's working regulation, issued this year by the same committee: 05-QC/ĐUK is taken.
    ubkt = texts.regulation_text([a["scope"]], number="05-QC/ĐUK", date=(today.day, today.month, today.year))
    ubkt = import_regulation(
        tmp_path, capsys, ubkt.replace("của Ban Chấp hành Đảng bộ Khối", "của Ủy ban Kiểm tra Đảng ủy Khối"), people.a
    )
    for _ in range(6):  # a BCH of twelve: eight make a quorum, seven a majority
        factories.seat(factories.UserFactory(), people.a, "executive", "committee_member")

    # The office opens the dossier and changes Điều 4.
    office = as_user("office_a")
    office.goto(f"{live_server.url}/quy-che/{in_force.regulation_id}/")
    office.get_by_role("link", name="Lập hồ sơ sửa đổi, bổ sung").click()
    office.get_by_label("Lý do sửa đổi, bổ sung").fill("Kéo dài thời hạn gửi tài liệu hội nghị.")
    office.get_by_role("button", name="Lập hồ sơ").click()
    amendment = Amendment.objects.get()
    office.goto(f"{live_server.url}/sua-doi/{amendment.pk}/du-thao/")
    office.locator("#dieu-4").get_by_role("link", name="Sửa").click()
    body = office.get_by_label("Nội dung")
    body.fill(body.input_value().replace("ít nhất ba ngày làm việc", "ít nhất năm ngày làm việc"))
    office.get_by_label("Lý do thay đổi").fill("Để ủy viên có đủ thời gian nghiên cứu.")
    office.get_by_role("button", name="Lưu").click()
    expect(office.locator("#dieu-4")).to_contain_text("năm ngày làm việc")

    # The stages on the way are not the point here: they go by the services.
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(amendment=refresh(amendment), user=people.office_a, due=today, users=[people.member_a])
    services.request_answer(amendment=refresh(amendment), user=people.member_a, no_comment=True)
    act(amendment, people.office_a, "submit")
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    act(amendment, people.btv_a, **meeting(present=2))
    assert refresh(amendment).stage.kind == StageKind.DECISION

    # The BCH meets with seven of its twelve members: no quorum, and nothing typed is lost.
    member = as_user("member_a")
    member.goto(f"{live_server.url}/sua-doi/{amendment.pk}/")
    expect(member.locator(".actions")).to_contain_text("có 12 ủy viên")
    expect(member.get_by_label("Tổng số thành viên")).to_have_count(0)
    member.get_by_label("Ngày họp").fill(f"{today - datetime.timedelta(days=1):%Y-%m-%d}")
    member.get_by_label("Số thành viên có mặt").fill("7")
    member.get_by_label("Tán thành", exact=True).fill("7")
    member.get_by_label("Ý kiến").fill("Hội nghị Ban Chấp hành lần thứ 5.")
    member.get_by_role("button", name="Biểu quyết thông qua").click()
    expect(member.locator(".transition")).to_contain_text("Cần ít nhất 8/12 ủy viên có mặt (hai phần ba); mới có 7.")
    expect(member.get_by_label("Số thành viên có mặt")).to_have_value("7")
    expect(member.get_by_label("Tán thành", exact=True)).to_have_value("7")
    expect(member.get_by_label("Ý kiến")).to_have_value("Hội nghị Ban Chấp hành lần thứ 5.")
    # "Trả lại" asks first; declining it changes nothing.
    member.once("dialog", lambda dialog: dialog.dismiss())
    member.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(member.locator(".transition")).to_be_visible()
    assert refresh(amendment).stage.kind == StageKind.DECISION
    member.get_by_label("Số thành viên có mặt").fill("9")
    member.get_by_label("Tán thành", exact=True).fill("8")
    member.get_by_label("Không tán thành").fill("1")
    member.get_by_role("button", name="Biểu quyết thông qua").click()
    expect(member.locator(".message")).to_contain_text("Dự thảo đã được thông qua")
    decision = refresh(amendment).events.last()
    assert (decision.members_present, decision.members_total, decision.votes_for) == (9, 12, 8)

    # The office issues: the register's next number after the UBKT's text, and the Bí thư as signer.
    office.goto(f"{live_server.url}/sua-doi/{amendment.pk}/")
    office.get_by_role("link", name="Vào số và ban hành").click()
    expect(office.locator("#so-van-ban")).to_contain_text("06-QC/ĐUK (dự kiến)")
    expect(office.get_by_label("Thẩm quyền ký")).to_have_value("T/M BAN CHẤP HÀNH")
    expect(office.get_by_label("Họ tên người ký")).to_have_value("Nguyễn Văn Long")
    office.get_by_role("button", name="Lấy số").click()
    expect(office.locator(".message")).to_contain_text("Đã lấy số 06-QC/ĐUK trong sổ đăng ký văn bản")
    expect(office.locator("#so-van-ban")).to_contain_text("06-QC/ĐUK, đã giữ")
    office.get_by_role("button", name="Xem trước").click()
    expect(office.locator("main")).to_contain_text("Kiểm tra lại trước khi ban hành")
    with office.expect_download() as download:
        office.get_by_role("link", name="Xem bản PDF sẽ ban hành").click()
    preview = poppler.text(Path(download.value.path()).read_bytes())
    assert "Số 06-QC/ĐUK" in preview and "Nguyễn Văn Long" in preview and "BẢN XEM TRƯỚC" in preview
    assert refresh(amendment).draft.is_draft
    office.get_by_role("button", name="Ban hành").click()
    expect(office.locator(".message")).to_contain_text("Đã ban hành 06-QC/ĐUK")
    expect(office.locator("main")).to_contain_text("06-QC/ĐUK")
    assert office.url == f"{live_server.url}/van-ban/{amendment.draft_id}/"
