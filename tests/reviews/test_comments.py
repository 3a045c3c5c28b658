"""Comments on the draft: sent with the answer, all saved or none."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reviews import services
from reviews.models import Comment
from reviews.services import PendingComment
from tests.amendments import draft_article, refresh


@pytest.fixture
def consulted(people, at_consultation):
    """The amendment in consultation, member_a asked for an opinion."""
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[people.member_a],
    )  # fmt: skip
    return refresh(at_consultation)


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
