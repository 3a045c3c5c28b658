"""An article's history page on a draft: one entry per change, with its author, its reason, the dossier
it was made in and the opinion it took in; the copy of the text in force into the draft is not a change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from tests.amendments import act, draft_article, edit_meetings_article, refresh

ONLINE_MEETINGS = "Bổ sung họp trực tuyến khi cần thiết."


def history_url(amendment, label="4"):
    return reverse("regulations:article", args=[amendment.draft_id, draft_article(amendment, label).key])


def entries(page: str) -> list[str]:
    """The rows of the history table, each as its HTML."""
    table = page.split("Lịch sử chỉnh sửa trong phiên bản này", 1)[1].split("</table>", 1)[0]
    return [row.split("</tr>", 1)[0] for row in table.split('<tr class="history-entry">')[1:]]


def add_online_meetings(amendment, user):
    article = draft_article(amendment, "4")
    return services.draft_article_update(
        amendment=refresh(amendment), user=user, key=article.key, heading="Chế độ họp",
        body="1. Ban Chấp hành họp thường lệ ba tháng một lần, Ban Thường vụ họp mỗi tháng một lần.\n"
        "2. Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất năm ngày làm việc.\n"
        "3. Khi cần thiết, hội nghị được tổ chức theo hình thức trực tuyến.",
        reason=ONLINE_MEETINGS, expected_revision=article.revision,
    )  # fmt: skip


def test_it_shows_each_change_of_an_article_once_with_its_author_reason_and_dossier(login, people, amendment):
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=people.bithu_a)
    edit_meetings_article(amendment, people.office_a)
    add_online_meetings(amendment, people.bithu_a)

    page = login(people.member_a).get(history_url(amendment)).content.decode()

    first, second = entries(page)  # two edits of the article and its clauses: two entries, not one per clause
    dossier = f'<a href="{reverse("reviews:detail", args=[amendment.pk])}">Hồ sơ: {amendment.title}</a>'
    assert str(people.office_a) in first and "Kéo dài thời gian gửi tài liệu để ủy viên nghiên cứu kỹ." in first
    assert "ít nhất <del>ba</del> <ins>năm</ins> ngày làm việc." in first
    assert dossier in first
    assert "Nguyễn Văn Long" in second and ONLINE_MEETINGS in second
    assert "<ins>3. Khi cần thiết, hội nghị được tổ chức theo hình thức trực tuyến.</ins>" in second
    assert "ít nhất" not in second  # the clause this edit left alone is not shown again
    assert dossier in second
    # The copy of 01-QC/ĐUK into the draft is where the article comes from, not an edit.
    assert "Dự thảo sửa đổi từ 01-QC/ĐUK" not in first + second
    assert "Dự thảo sửa đổi từ 01-QC/ĐUK" in page


def test_it_links_a_change_to_the_opinion_it_took_in(login, people, at_consultation):
    amendment = at_consultation
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=3),
        users=[people.member_a],
    )  # fmt: skip
    opinion = services.comment_add(
        amendment=refresh(amendment), user=people.member_a, article_key=draft_article(amendment, "4").key,
        text="Đề nghị cho phép họp trực tuyến.",
    )  # fmt: skip
    services.request_answer(amendment=refresh(amendment), user=people.member_a)
    act(amendment, people.office_a, "submit")
    change = add_online_meetings(amendment, people.office_a)
    services.disposition_set(
        comment=opinion, user=people.office_a, kind="accepted", explanation="Đã bổ sung khoản 3.", change_id=change.pk
    )

    page = login(people.member_a).get(history_url(amendment)).content.decode()

    before, after = entries(page)
    synthesis = reverse("reviews:synthesis", args=[amendment.pk])
    link = (
        f'<a href="{synthesis}#y-kien-{opinion.pk}">'
        f"Tiếp thu ý kiến của {people.member_a}: «Đề nghị cho phép họp trực tuyến.»</a>"
    )
    assert link in after and link not in before


def test_it_shows_an_article_without_changes_with_where_it_came_from(login, people, amendment):
    page = login(people.member_a).get(history_url(amendment, "1")).content.decode()
    assert entries(page) == []
    assert "Chưa có chỉnh sửa nào trong phiên bản này." in page
    assert "Dự thảo sửa đổi từ 01-QC/ĐUK: " in page and str(people.office_a) in page


@pytest.mark.parametrize("edits", [1, 5])
def test_it_shows_the_history_in_a_constant_number_of_queries(
    login, people, amendment, django_assert_num_queries, edits
):
    for number in range(edits):
        article = draft_article(amendment, "4")
        services.draft_article_update(
            amendment=refresh(amendment), user=people.office_a, key=article.key, heading="Chế độ họp",
            body=f"1. Ban Chấp hành họp {number + 2} tháng một lần.\n2. Tài liệu gửi trước {number + 3} ngày.",
            reason=f"Lần sửa thứ {number + 1}.", expected_revision=article.revision,
        )  # fmt: skip
    client = login(people.member_a)
    url = history_url(amendment)
    # Session, user, the article with its version, the reader's seats, the article across versions (2: a
    # draft's are never kept), its history, the dossier, its changes of the article, the opinions they took
    # in, and the three counts in the header.
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    assert len(entries(response.content.decode())) == edits
