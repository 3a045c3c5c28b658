import datetime

from django.urls import reverse
from django.utils import timezone

from regulations import selectors as regulation_selectors
from regulations.models import VersionStatus
from reviews import services
from reviews.models import AmendmentStatus, EventAction, StageKind
from tests.amendments import act, draft_article, edit_meetings_article, issue_values, meeting, refresh


def test_it_runs_an_amendment_from_the_working_group_to_issuance(login, people, in_force, amendment):
    assert amendment.stage.kind == StageKind.DRAFTING and amendment.base_version == in_force
    assert [a.label for a in regulation_selectors.provision_tree(amendment.draft).articles] == ["1", "2", "3", "4", "5"]

    change = edit_meetings_article(amendment, people.office_a)
    act(amendment, people.office_a, "submit")
    assert refresh(amendment).stage.name == "Thường trực cho ý kiến về nội dung để lấy ý kiến"
    act(amendment, people.bithu_a, comment="Đồng ý đưa ra lấy ý kiến.")
    assert refresh(amendment).stage.kind == StageKind.CONSULTATION

    due = timezone.localdate() + datetime.timedelta(days=7)
    services.requests_create(
        amendment=refresh(amendment), user=people.office_a, due=due, users=[people.member_a],
        organizations=[people.a_child],
    )  # fmt: skip
    article = draft_article(amendment, "4")
    comment = services.comment_add(
        amendment=refresh(amendment), user=people.member_a, article_key=article.key,
        text="Đề nghị ghi rõ gửi tài liệu qua mạng nội bộ.",
    )  # fmt: skip
    services.request_answer(amendment=refresh(amendment), user=people.member_a)
    services.request_answer(amendment=refresh(amendment), user=people.office_child, no_comment=True)
    act(amendment, people.office_a, "submit")
    assert refresh(amendment).stage.kind == StageKind.SYNTHESIS

    services.disposition_set(
        comment=comment, user=people.office_a, kind="accepted", explanation="Đã bổ sung vào khoản 2.",
        change_id=change.pk,
    )  # fmt: skip
    act(amendment, people.office_a, "submit")
    act(amendment, people.bithu_a)  # Thường trực reviews
    act(amendment, people.btv_a, **meeting(present=2))  # BTV gives its opinion
    adopted = act(amendment, people.member_a, **meeting(present=5, votes_for=4, votes_against=1, votes_abstain=0))
    assert adopted.status == AmendmentStatus.ADOPTED

    issued = services.amendment_issue(amendment=adopted, user=people.office_a, **issue_values(adopted))
    assert issued.status == AmendmentStatus.ISSUED
    draft = issued.draft
    draft.refresh_from_db()
    in_force.refresh_from_db()
    assert draft.status == VersionStatus.IN_FORCE and draft.replaces == in_force
    assert in_force.status == VersionStatus.REPLACED
    steps = regulation_selectors.article_across_versions(draft_article(issued, "4"))
    assert [(s.version.number, s.change) for s in steps] == [("01-QC/ĐUK", "added"), (draft.number, "modified")]
    actions = list(issued.events.values_list("action", flat=True))
    assert actions == [
        EventAction.CREATE, EventAction.SUBMIT, EventAction.APPROVE, EventAction.SUBMIT, EventAction.SUBMIT,
        EventAction.APPROVE, EventAction.APPROVE, EventAction.APPROVE, EventAction.ISSUE,
    ]  # fmt: skip
    decision = issued.events.get(votes_for__isnull=False)
    assert (decision.members_present, decision.members_total, decision.votes_for) == (5, 6, 4)

    # The history says when the status changed, on the page and in the API.
    client = login(people.member_a)
    page = client.get(reverse("reviews:detail", args=[issued.pk])).content.decode()
    assert '→ <span class="status status-adopted">Đã thông qua, chờ ban hành</span>' in page
    assert '→ <span class="status status-issued">Đã ban hành</span>' in page
    events = client.get(f"/api/amendments/{issued.pk}/").json()["events"]
    assert [(e["from_status"], e["to_status"]) for e in events[-2:]] == [
        ("in_progress", "adopted"), ("adopted", "issued")
    ]  # fmt: skip
    assert [e["status_change"] for e in events] == [None] * 7 + ["Đã thông qua, chờ ban hành", "Đã ban hành"]
