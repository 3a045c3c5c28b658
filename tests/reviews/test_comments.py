"""Comments on the draft: saved one by one in place (htmx), or sent with the answer; none lost."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import Comment
from reviews.services import PendingComment
from tests.amendments import draft_article, refresh

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def consulted(people, at_consultation):
    """The amendment in consultation, member_a asked for an opinion."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    return refresh(at_consultation)


def url(name, amendment, *args):
    return reverse(f"reviews:{name}", args=[amendment.pk, *args])


def answer(amendment, user, **kwargs):
    return services.request_answer(amendment=refresh(amendment), user=user, **kwargs)


def test_it_saves_the_pending_comments_with_the_answer(people, consulted):
    article = draft_article(consulted, "4")
    request = answer(
        consulted, people.member_a,
        pending=[PendingComment(article.key, " Nên gửi qua mạng. "), PendingComment(None, "Đồng ý với dự thảo.")],
    )  # fmt: skip
    assert request.answered_at is not None
    saved = Comment.objects.filter(request=request).order_by("pk")
    assert [(c.article_label, c.text, c.author) for c in saved] == [
        ("4", "Nên gửi qua mạng.", people.member_a),
        ("", "Đồng ý với dự thảo.", people.member_a),
    ]


@pytest.mark.parametrize(
    "refused",
    [PendingComment(None, "   "), PendingComment(uuid.uuid4(), "Điều không có."), PendingComment(None, "x" * 10_001)],
)
def test_it_saves_nothing_when_one_pending_comment_is_refused(people, consulted, refused):
    services.comment_add(amendment=consulted, user=people.member_a, text="Đã lưu trước.")
    with pytest.raises(ValidationError):
        answer(
            consulted, people.member_a, pending=[PendingComment(draft_article(consulted, "4").key, "Hợp lệ."), refused]
        )
    assert list(Comment.objects.values_list("text", flat=True)) == ["Đã lưu trước."]
    assert refresh(consulted).requests.get().answered_at is None


def test_it_refuses_no_comment_with_pending_text_and_pending_text_from_someone_not_asked(people, consulted):
    with pytest.raises(ValidationError, match="còn góp ý chưa lưu"):
        answer(consulted, people.member_a, no_comment=True, pending=[PendingComment(None, "Có ý kiến.")])
    with pytest.raises(PermissionDenied):
        answer(consulted, people.btv_a, pending=[PendingComment(None, "Tôi không được hỏi.")])
    assert not Comment.objects.exists()
    assert refresh(consulted).requests.get().answered_at is None


def test_it_saves_a_comment_in_place_and_answers_only_its_box(login, people, consulted):
    article = draft_article(consulted, "4")
    client = login(people.member_a)
    response = client.post(
        url("comment", consulted), {"text": "Nên gửi qua mạng.", "article": str(article.key)}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nên gửi qua mạng." in html and f'hx-swap-oob="beforeend:#gop-y-{article.key}"' in html
    assert f'id="comment-{article.key}"' in html and "></textarea>" in html  # the box, emptied
    assert "<html" not in html and "Góp ý Điều 2" not in html  # nothing else on the page
    assert Comment.objects.get().article_label == "4"
    response = client.post(url("comment", consulted), {"text": "Đồng ý với dự thảo."}, **HTMX)
    assert 'hx-swap-oob="beforeend:#gop-y-toan-van"' in response.content.decode()
    page = client.get(url("draft", consulted)).content.decode()
    assert "Đã lưu góp ý" not in page  # no message left over for the next page
    assert 'id="gop-y-toan-van"' in page and f'id="gop-y-{article.key}"' in page


def test_it_keeps_the_text_and_says_why_when_a_comment_is_refused_in_place(login, people, consulted):
    article = draft_article(consulted, "4")
    data = {"text": "  ", "article": str(article.key)}
    response = login(people.member_a).post(url("comment", consulted), data, **HTMX)
    assert response.status_code == 422 and "Hãy nhập nội dung góp ý." in response.content.decode()

    data["text"] = "Tôi cũng góp ý."
    response = login(people.btv_a).post(url("comment", consulted), data, **HTMX)  # not asked
    assert response.status_code == 403
    assert "không được hỏi ý kiến" in response.content.decode()
    assert ">Tôi cũng góp ý.</textarea>" in response.content.decode()

    answer(consulted, people.member_a, pending=[PendingComment(None, "Ý kiến chung.")])  # the request closes
    response = login(people.member_a).post(url("comment", consulted), data, **HTMX)
    assert response.status_code == 403 and ">Tôi cũng góp ý.</textarea>" in response.content.decode()
    assert login(people.outsider).post(url("comment", consulted), data, **HTMX).status_code == 404
    assert list(Comment.objects.values_list("text", flat=True)) == ["Ý kiến chung."]


def test_it_replies_in_place_and_without_script_returns_to_the_comment(login, people, consulted):
    comment = services.comment_add(amendment=consulted, user=people.member_a, text="Nên gửi qua mạng.")
    client = login(people.office_a)
    response = client.post(url("reply", consulted, comment.pk), {"text": "Sẽ cân nhắc."}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "Nên gửi qua mạng." in html and "Sẽ cân nhắc." in html
    assert "<html" not in html
    response = client.post(url("reply", consulted, comment.pk), {"text": " "}, **HTMX)
    assert response.status_code == 422 and "Hãy nhập nội dung trả lời." in response.content.decode()
    response = client.post(url("reply", consulted, comment.pk), {"text": "Đã xem.", "next": "https://example.com/"})
    assert response["Location"] == f"{url('draft', consulted)}#y-kien-{comment.pk}"
    assert comment.replies.count() == 2
    assert login(people.outsider).post(url("reply", consulted, comment.pk), {"text": "?"}, **HTMX).status_code == 404


def test_it_names_the_buttons_for_what_they_do(login, people, consulted):
    page = login(people.member_a).get(url("draft", consulted)).content.decode()
    assert "Lưu góp ý" in page and "Gửi toàn bộ ý kiến" in page and "Ghi ý kiến" not in page
    assert 'class="outline">Lưu góp ý' in page and 'class="primary">Gửi toàn bộ ý kiến' in page
    assert "js/comments.js" in page


def test_it_sends_the_answer_with_the_text_left_in_the_boxes(login, people, consulted):
    article = draft_article(consulted, "4")
    client = login(people.member_a)
    data = {"pending_article": [str(article.key), ""], "pending_text": ["Nên gửi qua mạng.", "Đồng ý."]}
    response = client.post(url("answer", consulted), data, follow=True)
    assert "Đã gửi ý kiến cùng 2 góp ý vừa nhập" in response.content.decode()
    assert sorted(Comment.objects.values_list("text", flat=True)) == ["Nên gửi qua mạng.", "Đồng ý."]
    assert refresh(consulted).requests.get().answered_at is not None


def test_it_puts_the_text_back_in_the_boxes_when_the_answer_is_refused(login, people, consulted):
    article = draft_article(consulted, "4")
    data = {"pending_article": [str(article.key), ""], "pending_text": ["Nên gửi qua mạng.", " "]}
    response = login(people.member_a).post(url("answer", consulted), data)
    html = response.content.decode()
    assert response.status_code == 200 and "Hãy nhập nội dung góp ý." in html
    assert f'data-article="{article.key}">Nên gửi qua mạng.</textarea>' in html  # back in Điều 4's box
    assert not Comment.objects.exists()
    assert refresh(consulted).requests.get().answered_at is None


def test_it_shows_the_text_it_could_not_send_when_the_request_is_already_answered(login, people, consulted):
    answer(consulted, people.member_a, no_comment=True)  # from another tab
    data = {"pending_article": [""], "pending_text": ["Ý kiến gõ trong tab cũ."]}
    response = login(people.member_a).post(url("answer", consulted), data)
    html = response.content.decode()
    assert response.status_code == 200 and "không được hỏi ý kiến" in html
    assert "chưa được gửi" in html and "Ý kiến gõ trong tab cũ." in html
    assert not Comment.objects.exists()
