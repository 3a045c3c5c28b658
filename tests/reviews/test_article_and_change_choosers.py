"""Where an article goes ("Đặt sau") and which change of the draft took in an opinion: typed by an article's number
or words (a text has dozens of articles, a dossier hundreds of changes), chosen in the suggestions or resolved on
submit; suggested only to those who may make that choice."""

import pytest
from django.urls import reverse

from reviews import services
from reviews.models import ArticleChange, Disposition
from tests.amendments import at_synthesis_with_a_comment, draft_article, refresh

TERMS = {"heading": "Giải thích từ ngữ", "body": "Vấn đề quan trọng là vấn đề ...", "reason": "Làm rõ khái niệm."}


def url(name, amendment, *args):
    return reverse(f"reviews:{name}", args=[amendment.pk, *args])


def suggested(client, name, amendment, typed, **params) -> list[str]:
    response = client.get(url(name, amendment), {"q": typed, **params})
    assert response.status_code == 200
    return [option.text for option in response.context["options"]]


def test_a_new_article_goes_after_the_one_whose_number_is_typed(login, people, amendment):
    client = login(people.office_a)
    page = client.post(url("article_insert", amendment), {**TERMS, "after_name": "Điều 2"}).content.decode()
    assert "Điều mới sẽ là Điều 3" in page
    client.post(url("article_insert", amendment), {**TERMS, "after_name": "2", "confirm": "1"})
    assert draft_article(amendment, "3").heading == "Giải thích từ ngữ"


def test_an_article_typed_that_is_not_in_the_draft_is_refused_and_nothing_moves(login, people, amendment):
    article = draft_article(amendment, "4")
    response = login(people.office_a).post(
        url("article_move", amendment, article.key), {"after_name": "Điều 9", "reason": "Sắp xếp lại.", "confirm": "1"}
    )
    assert response.context["form"].errors == {"after": ["Không có điều nào có số hoặc tên điều “Điều 9”."]}
    assert draft_article(amendment, "4").key == article.key and not ArticleChange.objects.exists()


def test_the_draft_articles_are_suggested_by_number_or_heading_but_the_one_moved(login, people, amendment):
    client = login(people.office_a)
    assert suggested(client, "draft_articles", amendment, "4") == ["Điều 4. Chế độ họp"]
    assert suggested(client, "draft_articles", amendment, "ban thuong vu") == [
        "Điều 3. Trách nhiệm, quyền hạn của Ban Thường vụ"
    ]
    meetings = draft_article(amendment, "4")
    assert suggested(client, "draft_articles", amendment, "che do hop", tru=meetings.key) == []


def test_only_the_working_group_gets_the_draft_articles(login, people, amendment):
    for user, status in ((people.member_a, 403), (people.bithu_a, 403), (people.outsider, 404)):
        assert login(user).get(url("draft_articles", amendment), {"q": "4"}).status_code == status


def test_the_draft_articles_cost_a_fixed_number_of_queries(login, people, amendment, django_assert_num_queries):
    client = login(people.office_a)
    suggested(client, "draft_articles", amendment, "dieu")
    # Session, user, the dossier, its working group (the right to edit), the articles.
    with django_assert_num_queries(5):
        assert len(suggested(client, "draft_articles", amendment, "dieu")) == 5


@pytest.fixture
def at_synthesis(people, amendment):
    comment = at_synthesis_with_a_comment(amendment, people)
    return refresh(amendment), comment


def dispose(client, amendment, comment, **data):
    prefix = f"c{comment.pk}-"
    fields = {"kind": "accepted", "explanation": "Tiếp thu, sửa Điều 4.", **data}
    return client.post(url("disposition", amendment, comment.pk), {prefix + k: v for k, v in fields.items()})


def change_meetings_again(amendment, user, months="hai"):
    article = draft_article(amendment, "4")
    services.draft_article_update(
        amendment=refresh(amendment), user=user, key=article.key, heading="Chế độ họp",
        body=f"1. Ban Chấp hành họp thường lệ {months} tháng một lần.",
        reason=f"Tiếp thu ý kiến: họp {months} tháng một lần.", expected_revision=article.revision,
    )  # fmt: skip


def test_a_disposition_points_to_the_change_its_article_names(login, people, at_synthesis):
    amendment, comment = at_synthesis
    client = login(people.office_a)
    assert dispose(client, amendment, comment, change_name="Điều 4").status_code == 302
    assert Disposition.objects.get(comment=comment).change == ArticleChange.objects.get()


def test_a_change_named_by_several_comes_back_with_them_to_pick_and_nothing_is_recorded(login, people, at_synthesis):
    amendment, comment = at_synthesis
    change_meetings_again(amendment, people.office_a)
    first, second = ArticleChange.objects.order_by("pk")
    client = login(people.office_a)
    response = dispose(client, amendment, comment, change_name="4")
    assert response.status_code == 200 and not Disposition.objects.exists()
    page = response.content.decode()
    assert "Có nhiều thay đổi khớp “4”, hãy gõ đầy đủ hơn hoặc chọn trong gợi ý." in page
    for change in (first, second):
        assert f'<input type="radio" name="c{comment.pk}-change" value="{change.pk}">' in page
    dispose(client, amendment, comment, change=second.pk, change_name="4")
    assert Disposition.objects.get(comment=comment).change == second
    # The words of a reason name one too.
    assert suggested(client, "changes", amendment, "hai thang") == [str(second)]


def test_only_the_working_group_at_the_synthesis_gets_the_changes(login, people, at_synthesis):
    amendment, _ = at_synthesis
    for user, status in ((people.member_a, 403), (people.bithu_a, 403), (people.outsider, 404)):
        assert login(user).get(url("changes", amendment), {"q": "4"}).status_code == status
    assert len(suggested(login(people.office_a), "changes", amendment, "4")) == 1


def test_the_changes_cost_a_fixed_number_of_queries(login, people, at_synthesis, django_assert_num_queries):
    amendment, _ = at_synthesis
    client = login(people.office_a)
    suggested(client, "changes", amendment, "dieu")
    # Session, user, the dossier, its working group, the changes with their authors.
    with django_assert_num_queries(5):
        suggested(client, "changes", amendment, "dieu")
    for months in ("hai", "bốn", "sáu"):
        change_meetings_again(amendment, people.office_a, months)
    suggested(client, "changes", amendment, "dieu")
    with django_assert_num_queries(5):
        assert len(suggested(client, "changes", amendment, "dieu")) == 4
