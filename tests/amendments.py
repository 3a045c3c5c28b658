"""Fixtures: an amendment of bloc A's QCLV, and the people who run it.

Besides the standing cast: bithu_a (Bí thư of A: BCH, BTV and Thường trực), office_child (office
of A's đảng bộ cơ sở, which answers consultations for it), and three more BCH members so that
votes have a body to count.
"""

import datetime

import pytest
from django.utils import timezone

from organizations.models import BodyKind, Role
from regulations.models import Provision
from reviews import services
from reviews.models import Amendment, Stage, StageKind
from reviews.stages import install_default_stages
from tests import factories
from tests.regulations import texts


@pytest.fixture
def stages(db):
    """The default process, which a transactional test before this one may have flushed away."""
    install_default_stages(Stage)


@pytest.fixture
def people(cast, stages):
    bithu_a = factories.UserFactory(username="bithu_a", last_name="Nguyễn Văn", first_name="Long")
    for body in (BodyKind.EXECUTIVE, BodyKind.STANDING, BodyKind.STANDING_OFFICE):
        factories.seat(bithu_a, cast.a, body, Role.SECRETARY)
    office_child = factories.UserFactory(username="office_child")
    factories.seat(office_child, cast.a_child, BodyKind.OFFICE, Role.OFFICE_STAFF)
    for number in range(3):
        factories.seat(
            factories.UserFactory(username=f"bch_a_{number}"), cast.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER
        )
    cast.bithu_a, cast.office_child = bithu_a, office_child
    return cast


@pytest.fixture
def in_force(people, import_text):
    a = texts.ARTICLES
    return import_text(
        texts.regulation_text([a["scope"], a["principles"], a["btv"], a["meetings"], a["implementation"]])
    )


@pytest.fixture
def amendment(people, in_force) -> Amendment:
    return services.amendment_start(
        regulation=in_force.regulation, user=people.office_a, reason="Cập nhật theo Quy định 294-QĐ/TW."
    )


def draft_article(amendment, label) -> Provision:
    return Provision.objects.get(version=amendment.draft, kind="article", label=label)


def refresh(amendment) -> Amendment:
    return Amendment.objects.select_related("stage", "regulation__organization").get(pk=amendment.pk)


def act(amendment, user, action="approve", **data) -> Amendment:
    amendment = refresh(amendment)
    return services.amendment_transition(
        amendment=amendment, user=user, action=action, expected_stage_id=amendment.stage_id, **data
    )


def meeting(present=5, **votes):
    """Yesterday's meeting; the number of members is the body's, counted by the service from the positions."""
    return {"meeting_date": timezone.localdate() - datetime.timedelta(days=1), "members_present": present, **votes}


def issue_values(amendment, *, issued=None) -> dict:
    """What the office confirms when it keeps the issue form's suggested signer (A's Bí thư, for the BCH);
    the number is the register's."""
    issued = issued or timezone.localdate()
    return {**services.issue_defaults(amendment, on=issued), "issued": issued}


def edit_meetings_article(amendment, user):
    article = draft_article(amendment, "4")
    return services.draft_article_update(
        amendment=refresh(amendment), user=user, key=article.key, heading="Chế độ họp",
        body="1. Ban Chấp hành họp thường lệ ba tháng một lần, Ban Thường vụ họp mỗi tháng một lần.\n"
        "2. Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất năm ngày làm việc.",
        reason="Kéo dài thời gian gửi tài liệu để ủy viên nghiên cứu kỹ.", expected_revision=article.revision,
    )  # fmt: skip


TERMS_BODY = (
    "1. Vấn đề quan trọng là:\na) vấn đề về tổ chức, cán bộ;\nb) vấn đề về tài chính, tài sản.\n"
    "2. Cấp ủy là Ban Chấp hành Đảng bộ Khối."
)
MEETINGS_TEXT = (
    "Chế độ họp\n1. Ban Chấp hành họp thường lệ ba tháng một lần, Ban Thường vụ họp mỗi tháng một lần.\n"
    "2. Tài liệu hội nghị được gửi trước cho các đồng chí ủy viên ít nhất ba ngày làm việc."
)


def insert_terms_and_remove_meetings(amendment, user):
    """A new Điều 2 (two clauses, two points) and the old Điều 4 gone: Điều 2 and 3 become 3 and 4."""
    services.draft_article_insert(
        amendment=refresh(amendment), user=user, after_key=draft_article(amendment, "1").key,
        heading="Giải thích từ ngữ", body=TERMS_BODY, reason="Làm rõ các từ ngữ dùng trong Quy chế.",
    )  # fmt: skip
    meetings = draft_article(amendment, "5")
    services.draft_article_remove(
        amendment=refresh(amendment), user=user, key=meetings.key, reason="Chuyển sang quy chế hội nghị.",
        expected_revision=meetings.revision,
    )  # fmt: skip


@pytest.fixture
def at_consultation(people, amendment):
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    return refresh(amendment)


def at_stage(amendment, people, kind_and_body):
    """Walk the amendment through the process (by the services) until the stage of this kind and body."""
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    services.request_answer(amendment=refresh(amendment), user=people.member_a, no_comment=True)
    act(amendment, people.office_a, "submit")
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    if kind_and_body == (StageKind.DECISION, BodyKind.EXECUTIVE):
        act(amendment, people.btv_a, **meeting(present=2))
    amendment = refresh(amendment)
    assert (amendment.stage.kind, amendment.stage.body_kind) == kind_and_body
    return amendment


def at_synthesis_with_a_comment(amendment, people):
    """Walk the amendment to the synthesis, member_a having commented on Điều 4; returns the comment."""
    edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=timezone.localdate(), users=[people.member_a]
    )
    comment = services.comment_add(
        amendment=refresh(amendment), user=people.member_a, text="Nên họp hai tháng một lần.",
        article_key=draft_article(amendment, "4").key,
    )  # fmt: skip
    services.request_answer(amendment=refresh(amendment), user=people.member_a)
    act(amendment, people.office_a, "submit")
    return comment
