"""An organization asked for its opinion answers under its name: its secretary and its office both write into
the organization's answer, and the synthesis says of each opinion whether a person or an organization gave it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import BodyKind, Role
from regulations.models import Provision
from reviews import pdf, services
from reviews.models import Comment, ConsultationRequest
from tests import factories
from tests.amendments import act, draft_article, refresh
from tests.pdf import poppler


@pytest.fixture
def asked_twice(people, at_consultation):
    """The Bí thư of A's đảng bộ cơ sở, also a member of A's BCH: asked in person and for the đảng bộ."""
    secretary = factories.UserFactory(username="bithu_child", last_name="Trần Thị", first_name="Hoa")
    factories.seat(secretary, people.a_child, BodyKind.EXECUTIVE, Role.SECRETARY)
    factories.seat(secretary, people.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    services.requests_create(
        amendment=at_consultation, user=people.office_a, due=timezone.localdate() + datetime.timedelta(days=5),
        users=[secretary], organizations=[people.a_child],
    )  # fmt: skip
    people.secretary_child = secretary
    return refresh(at_consultation)


def url(name, amendment, *args):
    return reverse(f"reviews:{name}", args=[amendment.pk, *args])


def test_the_secretary_chooses_to_write_in_person_or_for_the_organization(login, people, asked_twice):
    personal = ConsultationRequest.objects.get(amendment=asked_twice, user=people.secretary_child)
    theirs = ConsultationRequest.objects.get(amendment=asked_twice, organization=people.a_child)
    client = login(people.secretary_child)
    page = client.get(url("draft", asked_twice)).content.decode()
    assert "Đồng chí được hỏi ý kiến 2 lần" in page and f'href="?phieu={theirs.pk}"' in page
    assert f'name="request" value="{personal.pk}"' in page  # the first asked, until another is chosen

    page = client.get(url("draft", asked_twice), {"phieu": theirs.pk}).content.decode()
    assert f"thay mặt {people.a_child.name}: các góp ý của bí thư và văn phòng" in page
    assert f'name="request" value="{personal.pk}"' not in page and f'name="request" value="{theirs.pk}"' in page
    clause = Provision.objects.get(version=asked_twice.draft, article__label="4", kind="clause", label="2")
    assert f"{url('suggest', asked_twice, clause.key)}?phieu={theirs.pk}" in page

    suggest_page = client.get(url("suggest", asked_twice, clause.key), {"phieu": theirs.pk}).content.decode()
    assert f"Thay mặt {people.a_child.name}" in suggest_page
    data = {
        "kind": "replace", "proposed_text": "Tài liệu được gửi trước ít nhất bảy ngày làm việc.",
        "reason": "Ý kiến của Ban Thường vụ Đảng ủy Sở.", "request": theirs.pk, "confirm": "1",
    }  # fmt: skip
    response = client.post(url("suggest", asked_twice, clause.key), data)
    comment = Comment.objects.get()
    assert comment.request == theirs
    assert response["Location"] == f"{url('draft', asked_twice)}?phieu={theirs.pk}#y-kien-{comment.pk}"


def test_the_organizations_answer_gathers_its_secretary_and_office_and_the_synthesis_says_who(
    login, people, asked_twice
):
    personal = ConsultationRequest.objects.get(amendment=asked_twice, user=people.secretary_child)
    theirs = ConsultationRequest.objects.get(amendment=asked_twice, organization=people.a_child)
    key = Provision.objects.get(version=asked_twice.draft, article__label="4", kind="clause", label="2").key
    services.suggestion_add(
        amendment=refresh(asked_twice), user=people.secretary_child, key=key, kind="remove", proposed_text="",
        reason="Đã có trong quy chế hội nghị.", request_id=theirs.pk,
    )  # fmt: skip
    services.suggestion_add(
        amendment=refresh(asked_twice), user=people.office_child, key=draft_article(asked_twice, "1").key,
        kind="insert_after", proposed_text="Giải thích từ ngữ\nCấp ủy là Ban Chấp hành Đảng bộ Khối.",
        reason="Làm rõ từ ngữ.",
    )  # fmt: skip
    services.comment_add(
        amendment=refresh(asked_twice), user=people.secretary_child, text="Tôi thống nhất với dự thảo.",
        request_id=personal.pk,
    )  # fmt: skip
    assert [c.request_id for c in Comment.objects.order_by("pk")] == [theirs.pk, theirs.pk, personal.pk]

    # The secretary sends the organization's answer: both its opinions go with it; their own is still to send.
    login(people.secretary_child).post(url("answer", asked_twice), {"request": theirs.pk})
    theirs.refresh_from_db(), personal.refresh_from_db()
    assert theirs.answered_by == people.secretary_child and theirs.comments.count() == 2
    assert personal.answered_at is None
    services.request_answer(amendment=refresh(asked_twice), user=people.secretary_child, request_id=personal.pk)
    act(asked_twice, people.office_a, "submit")

    page = login(people.office_a).get(url("synthesis", asked_twice)).content.decode()
    assert page.count(f"Tổ chức: {people.a_child.name}") == 2 and page.count(">Cá nhân<") == 1
    assert f"{people.office_child} ghi" in page and f"{people.secretary_child} ghi" in page
    text = poppler.text(pdf.render_synthesis(refresh(asked_twice)), drawn=True)
    assert text.count(f"Tổ chức: {people.a_child.name}") == 2 and text.count("Cá nhân") == 1
