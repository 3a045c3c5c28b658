import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from tests import factories
from tests.amendments import act, draft_article, refresh
from tests.regulations import texts

# Session, user, the amendment (with its regulation and stage), seats, working group, requests,
# the pages' own reads (the dossier's: whether the reader follows it, and whom it waits for
# (reviews.selectors.waiting_for): its last event and answers, and those people by name; the draft and the
# comparison: whether the reader numbers lines), and the three counts in the header.
QUERIES = {"detail": 17, "draft": 16, "comparison": 13}


@pytest.fixture
def sized(people, import_text):
    """An amendment of a text with `size` articles, each commented on during consultation."""

    def _sized(size, number):
        version = import_text(texts.regulation_text(texts.numbered_articles(size), number=number))
        amendment = services.amendment_start(regulation=version.regulation, user=people.office_a)
        article = draft_article(amendment, "1")
        services.draft_article_update(
            amendment=refresh(amendment), user=people.office_a, key=article.key, heading=article.heading,
            body="1. Nội dung mới.", reason="Rút gọn.", expected_revision=0,
        )  # fmt: skip
        act(amendment, people.office_a, "submit")
        act(amendment, people.bithu_a)
        commenters = [factories.UserFactory() for _ in range(3)]
        for user in commenters:
            factories.seat(user, people.a, "executive", "committee_member")
        services.requests_create(
            amendment=refresh(amendment), user=people.office_a,
            due=timezone.localdate() + datetime.timedelta(days=3), users=commenters,
        )  # fmt: skip
        for index in range(1, size + 1):
            user = type(commenters[0]).objects.get(pk=commenters[index % 3].pk)
            services.comment_add(
                amendment=refresh(amendment), user=user, text=f"Góp ý điều {index}.",
                article_key=draft_article(amendment, str(index)).key,
            )  # fmt: skip
        return amendment

    return _sized


@pytest.mark.parametrize("page", sorted(QUERIES))
@pytest.mark.usefixtures("uncached_header")
def test_it_shows_the_dossier_draft_and_comparison_in_a_constant_number_of_queries(
    login, people, sized, django_assert_num_queries, page
):
    small, large = sized(5, "05-QC/ĐUK"), sized(40, "40-QC/ĐUK")
    client = login(people.member_a)
    for amendment in (small, large):
        with django_assert_num_queries(QUERIES[page]):
            response = client.get(reverse(f"reviews:{page}", args=[amendment.pk]))
        assert response.status_code == 200


@pytest.mark.usefixtures("uncached_header")
def test_the_synthesis_with_changed_dispositions_costs_the_same_queries_for_5_or_40_comments(
    login, people, sized, django_assert_max_num_queries
):
    counts = []
    for size, number in ((5, "05-QC/ĐUK"), (40, "40-QC/ĐUK")):
        amendment = services.consultation_close(amendment=sized(size, number), user=people.office_a, reason="Họp sớm.")
        for comment in amendment.comments.all():
            for text in ("Chưa phù hợp.", "Đã cân nhắc lại: chưa phù hợp."):
                services.disposition_set(comment=comment, user=people.office_a, kind="explained", explanation=text)
        client = login(people.member_a)
        with django_assert_max_num_queries(100) as captured:
            response = client.get(reverse("reviews:synthesis", args=[amendment.pk]))
        assert response.status_code == 200 and "đã sửa" in response.content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
