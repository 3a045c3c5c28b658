import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import BodyKind
from reviews import services
from reviews.forms import MEMBERS_MAX
from reviews.models import Amendment, ArticleChange, Comment, Event, StageKind
from tests.amendments import (
    MEETINGS_TEXT,
    TERMS_BODY,
    act,
    at_stage,
    draft_article,
    edit_meetings_article,
    insert_terms_and_remove_meetings,
    meeting,
    refresh,
)

PAGES = ["detail", "draft", "comparison", "consultation", "synthesis"]


def url(name, amendment, *args):
    return reverse(f"reviews:{name}", args=[amendment.pk, *args])


@pytest.mark.parametrize("name", PAGES)
def test_it_shows_every_page_of_the_dossier_to_members(login, people, amendment, name):
    edit_meetings_article(amendment, people.office_a)
    for user in (people.office_a, people.member_a, people.superior_btv):
        response = login(user).get(url(name, amendment))
        assert response.status_code == 200, (user, name)
        assert "Sửa đổi, bổ sung Quy chế làm việc" in response.content.decode()


@pytest.mark.parametrize("name", [*PAGES, "dossier", "issue", "article_insert"])
def test_it_gives_an_outsider_404(login, people, amendment, name):
    response = login(people.outsider).get(url(name, amendment))
    assert response.status_code == 404


def test_it_gives_an_outsider_404_on_the_api(people, amendment):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(people.outsider)
    assert client.get(f"/api/amendments/{amendment.pk}/").status_code == 404
    assert client.get("/api/amendments/").json()["results"] == []


def test_it_starts_an_amendment_from_the_regulation_page(login, people, in_force):
    client = login(people.office_a)
    page = client.get(reverse("regulations:detail", args=[in_force.regulation.pk])).content.decode()
    assert reverse("reviews:start", args=[in_force.regulation.pk]) in page
    response = client.post(reverse("reviews:start", args=[in_force.regulation.pk]), {"reason": "Theo Quy định mới."})
    amendment = Amendment.objects.get()
    assert response["Location"] == url("detail", amendment)
    response = client.post(reverse("reviews:start", args=[in_force.regulation.pk]), {"reason": "Lần hai."})
    assert response["Location"] == url("detail", amendment)
    assert Amendment.objects.count() == 1


def test_it_links_the_open_dossier_wherever_a_new_one_would_be_offered(login, people, amendment):
    client = login(people.office_a)
    start = reverse("reviews:start", args=[amendment.regulation_id])
    line = f'Đang có hồ sơ sửa đổi: <a href="{url("detail", amendment)}">{amendment.title}</a> (bước Tổ công tác soạn'
    for page in (
        reverse("regulations:detail", args=[amendment.regulation_id]),
        reverse("regulations:version", args=[amendment.base_version_id]),
    ):
        html = client.get(page).content.decode()
        assert line in html and start not in html, page


def test_it_offers_a_new_dossier_on_the_text_in_force_to_the_office_only(login, people, in_force):
    start = reverse("reviews:start", args=[in_force.regulation_id])
    version = reverse("regulations:version", args=[in_force.pk])
    assert start in login(people.office_a).get(version).content.decode()
    assert start not in login(people.member_a).get(version).content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_the_office_to_the_open_dossier_instead_of_a_form_that_would_fail(login, people, amendment, method):
    client = login(people.office_a)
    start = reverse("reviews:start", args=[amendment.regulation_id])
    response = getattr(client, method)(start, {"reason": "Lần hai."}, follow=True)
    assert response.redirect_chain == [(url("detail", amendment), 302)]
    assert response.content.decode().count("đang có hồ sơ sửa đổi chưa kết thúc") == 1
    assert Amendment.objects.count() == 1


def test_it_edits_an_article_and_refuses_a_stale_save_keeping_the_text(login, people, amendment):
    article = draft_article(amendment, "2")
    client = login(people.office_a)
    page = client.get(url("article_edit", amendment, article.key)).content.decode()
    assert "Bảo đảm nguyên tắc tập trung dân chủ" in page
    data = {"heading": "Nguyên tắc làm việc", "reason": "Làm rõ trách nhiệm.", "revision": 0,
            "body": "1. Tập trung dân chủ.\n2. Tuân thủ Điều lệ Đảng."}  # fmt: skip
    response = client.post(url("article_edit", amendment, article.key), data)
    assert response.status_code == 302
    mine = {**data, "body": "1. Nội dung của người thứ hai.\n2. Tuân thủ Điều lệ Đảng."}
    page = login(people.bithu_a).post(url("article_edit", amendment, article.key), mine)
    assert page.status_code == 403  # the Bí thư is not in the working group
    page = login(people.office_a).post(url("article_edit", amendment, article.key), mine).content.decode()
    assert "Nội dung của bạn chưa được lưu" in page
    assert "1. Tập trung dân chủ." in page  # the other's text is shown
    assert "Nội dung của người thứ hai." in page  # and mine is kept in the form
    assert ArticleChange.objects.count() == 1


def test_it_previews_the_renumbering_before_inserting(login, people, amendment):
    client = login(people.office_a)
    after = draft_article(amendment, "2")
    data = {"after": str(after.key), "heading": "Giải thích từ ngữ", "body": "Vấn đề quan trọng là vấn đề ...",
            "reason": "Làm rõ khái niệm."}  # fmt: skip
    page = client.post(url("article_insert", amendment), data).content.decode()
    assert "Điều 3 → Điều 4" in page and "Điều mới sẽ là Điều 3" in page
    assert not ArticleChange.objects.exists()
    client.post(url("article_insert", amendment), {**data, "confirm": "1"})
    assert draft_article(amendment, "3").heading == "Giải thích từ ngữ"
    assert ArticleChange.objects.get().kind == "added"


def test_it_shows_the_comparison_table_with_reasons(login, people, amendment):
    edit_meetings_article(amendment, people.office_a)
    page = login(people.member_a).get(url("comparison", amendment)).content.decode()
    assert "Sửa đổi 1 điều" in page
    assert "Kéo dài thời gian gửi tài liệu" in page
    assert "<del>ba</del> <ins>năm</ins> ngày làm việc" in page


def test_it_shows_added_and_removed_articles_in_full_and_collapses_renumbered_ones(login, people, amendment):
    insert_terms_and_remove_meetings(amendment, people.office_a)
    page = login(people.member_a).get(url("comparison", amendment)).content.decode()
    assert f'<strong>Điều 2.</strong> <span class="diff"><ins>Giải thích từ ngữ\n{TERMS_BODY}</ins></span>' in page
    assert f'<strong>Điều 4.</strong> <span class="diff"><del>{MEETINGS_TEXT}</del></span>' in page
    assert "Làm rõ các từ ngữ dùng trong Quy chế." in page and "Chuyển sang quy chế hội nghị." in page
    assert '<td colspan="2"><details><summary>Điều 2 thành Điều 3 (chỉ đánh số lại)</summary>' in page
    assert '<td colspan="2"><details><summary>Điều 3 thành Điều 4 (chỉ đánh số lại)</summary>' in page
    assert "<strong>Điều 3.</strong>" not in page  # the renumbered articles take one line each


def test_it_lets_a_consulted_member_comment_and_answer_in_the_browser_forms(login, people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    client = login(people.member_a)
    page = client.get(url("draft", at_consultation)).content.decode()
    assert "Góp ý Điều 4" in page
    article = draft_article(at_consultation, "4")
    client.post(url("comment", at_consultation), {"text": "Nên gửi qua mạng.", "article": str(article.key)})
    assert Comment.objects.get().article_label == "4"
    client.post(url("answer", at_consultation), {})
    assert refresh(at_consultation).requests.get().answered_at is not None
    assert login(people.btv_a).post(url("comment", at_consultation), {"text": "Tôi cũng góp ý."}).status_code == 403
    assert Comment.objects.count() == 1  # not asked: refused


def test_it_refuses_a_vote_count_larger_than_the_members_keeping_what_was_typed(login, people, amendment):
    edit_meetings_article(amendment, people.office_a)
    for user, action in ((people.office_a, "submit"), (people.bithu_a, "approve")):
        act(amendment, user, action)
    amendment = refresh(amendment)
    amendment.stage = amendment.stage.__class__.objects.get(organization_kind="bloc", order=7)
    amendment.save()
    response = login(people.member_a).post(
        url("transition", amendment),
        {"action": "approve", "stage": amendment.stage_id, "comment": "Biểu quyết tại hội nghị lần thứ 5.",
         **meeting(present=4, votes_for=5, votes_against=0, votes_abstain=0)},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tổng số phiếu (5) lớn hơn số ủy viên có mặt (4)" in page
    assert 'name="members_present" value="4"' in page and 'name="votes_for" value="5"' in page
    assert "Biểu quyết tại hội nghị lần thứ 5.</textarea>" in page
    assert refresh(amendment).stage.order == 7


def test_it_shows_what_awaits_me_with_a_count_in_the_header(login, people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    page = login(people.bithu_a).get(reverse("reviews:todo")).content.decode()
    assert "Hồ sơ chờ đồng chí xử lý (1)" in page and 'aria-label="1 việc"' in page
    page = login(people.office_a).get(reverse("reviews:todo")).content.decode()
    assert "Hồ sơ chờ đồng chí xử lý (0)" in page


def test_the_office_closes_the_consultation_early_from_its_page(login, people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    client = login(people.office_a)
    close = url("consultation_close", at_consultation)
    page = client.get(url("consultation", at_consultation)).content.decode()
    assert close in page and f"Còn 1 nơi chưa trả lời và chưa hết hạn: {people.member_a}." in page
    page = client.post(close, {"reason": ""}).content.decode()
    assert page.count("Trường này là bắt buộc.") == 1
    assert refresh(at_consultation).stage.is_consultation
    response = client.post(close, {"reason": "Ban Thường vụ họp sớm."}, follow=True)
    assert response.redirect_chain == [(url("detail", at_consultation), 302)]
    page = response.content.decode()
    assert "Đã kết thúc lấy ý kiến; hồ sơ chuyển sang bước “Tổng hợp, tiếp thu, giải trình ý kiến”." in page
    assert "Lý do: Ban Thường vụ họp sớm." in page
    page = client.get(url("consultation", at_consultation)).content.decode()
    assert "Không trả lời (đã kết thúc lấy ý kiến)" in page and close not in page


def test_only_the_working_group_closes_the_consultation(login, people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    close = url("consultation_close", at_consultation)
    assert close not in login(people.bithu_a).get(url("consultation", at_consultation)).content.decode()
    assert login(people.bithu_a).post(close, {"reason": "Họp sớm."}).status_code == 403
    assert login(people.outsider).post(close, {"reason": "Họp sớm."}).status_code == 404
    assert refresh(at_consultation).stage.is_consultation


def test_it_refuses_a_count_beyond_any_committee_and_changes_nothing(login, people, amendment):
    amendment = at_stage(amendment, people, (StageKind.REVIEW, BodyKind.STANDING))
    events = Event.objects.filter(amendment=amendment).count()
    response = login(people.btv_a).post(
        url("transition", amendment), {"action": "approve", "stage": amendment.stage_id, "members_present": "99999"}
    )
    assert f"Số thành viên có mặt: không được lớn hơn {MEMBERS_MAX}." in response.content.decode()
    assert 'value="99999"' in response.content.decode()  # what was typed stays in the box
    assert refresh(amendment).stage_id == amendment.stage_id
    assert Event.objects.filter(amendment=amendment).count() == events


def test_it_refuses_an_answer_to_a_request_that_is_no_id_and_answers_nothing(login, people, at_consultation):
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    client = login(people.member_a)
    for value in ("abc", "99999999999999999999"):
        response = client.post(url("answer", at_consultation), {"request": value}, follow=True)
        assert "Phiếu lấy ý kiến không hợp lệ." in response.content.decode(), value
    assert refresh(at_consultation).requests.get().answered_at is None


def test_it_refuses_a_dossier_text_over_its_limit_and_keeps_what_was_saved(login, people, amendment):
    data = {name: getattr(amendment, name) for name in services.DOSSIER_FIELDS}
    response = login(people.office_a).post(
        url("dossier", amendment),
        {**data, "submission": "Kính trình " * 5001, "revision": amendment.dossier_revision},
    )
    assert response.status_code == 200
    assert "Tờ trình: tối đa 50.000 ký tự (đã nhập 55010 ký tự)." in response.content.decode()
    assert refresh(amendment).submission == amendment.submission
