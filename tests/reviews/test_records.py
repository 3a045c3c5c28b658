"""Every change of a dossier is attributed: its texts, its working group, its dispositions."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reviews import access, services
from reviews.models import Disposition, DossierRevision, WorkingGroupMember
from tests import factories
from tests.amendments import at_synthesis_with_a_comment, refresh


def test_it_keeps_each_previous_dossier_text_with_its_author_and_time(login, people, amendment):
    services.dossier_update(
        amendment=refresh(amendment), user=people.office_a, expected_revision=0, submission="<p>Tờ trình lần đầu</p>"
    )
    services.dossier_update(
        amendment=refresh(amendment), user=people.office_a, expected_revision=1,
        submission="<p>Tờ trình đã sửa</p>", lessons="",
    )  # fmt: skip
    latest, first = DossierRevision.objects.filter(amendment=amendment, field="submission")
    assert (first.before, first.after) == ("", "<p>Tờ trình lần đầu</p>")
    assert (latest.before, latest.after, latest.edited_by) == (
        "<p>Tờ trình lần đầu</p>",
        "<p>Tờ trình đã sửa</p>",
        people.office_a,
    )
    assert not DossierRevision.objects.filter(field="lessons").exists()  # saved unchanged: nothing to record
    page = login(people.member_a).get(reverse("reviews:dossier_history", args=[amendment.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and "Tờ trình lần đầu" in content and str(people.office_a) in content
    assert (
        "Lịch sử chỉnh sửa hồ sơ"
        in login(people.member_a).get(reverse("reviews:detail", args=[amendment.pk])).content.decode()
    )


def test_it_hides_the_dossier_history_from_an_outsider(login, people, amendment):
    assert login(people.outsider).get(reverse("reviews:dossier_history", args=[amendment.pk])).status_code == 404


def test_it_keeps_a_removed_working_group_member_with_who_removed_them(login, people, amendment):
    guest = factories.UserFactory(username="vanphong_ubnd")
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=guest)
    services.working_group_remove(amendment=refresh(amendment), user=people.office_a, member=guest)
    seat = WorkingGroupMember.objects.get(amendment=amendment, user=guest)
    assert (seat.added_by, seat.removed_by) == (people.office_a, people.office_a) and seat.removed_at is not None
    guest = get_user_model().objects.get(pk=guest.pk)
    assert not access.in_working_group(guest, refresh(amendment))
    assert not access.can_view_amendment(guest, refresh(amendment))
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=guest)  # again
    assert WorkingGroupMember.objects.filter(amendment=amendment, user=guest).count() == 2
    assert access.in_working_group(get_user_model().objects.get(pk=guest.pk), refresh(amendment))
    content = login(people.member_a).get(reverse("reviews:dossier_history", args=[amendment.pk])).content.decode()
    assert "bỏ khỏi tổ" in content


def test_it_keeps_the_previous_disposition_and_shows_it_as_changed(login, people, amendment):
    comment = at_synthesis_with_a_comment(amendment, people)
    services.disposition_set(comment=comment, user=people.office_a, kind="explained", explanation="Điều lệ quy định.")
    chair = factories.UserFactory(username="thanh_vien_to")
    services.working_group_add(amendment=refresh(amendment), user=people.office_a, member=chair)
    chair = get_user_model().objects.get(pk=chair.pk)
    services.disposition_set(comment=comment, user=chair, kind="accepted", explanation="Đã sửa Điều 4.")
    disposition = Disposition.objects.get(comment=comment)
    first, second = disposition.history.order_by("history_date", "history_id")
    assert (first.kind, first.explanation, first.history_user) == ("explained", "Điều lệ quy định.", people.office_a)
    assert (second.kind, second.history_user) == ("accepted", chair)
    content = login(people.office_a).get(reverse("reviews:synthesis", args=[amendment.pk])).content.decode()
    assert "đã sửa" in content and "Điều lệ quy định." in content


@pytest.mark.parametrize("fields", [{"reason": "<p>Lý do mới</p>"}])
def test_it_records_nothing_when_a_dossier_edit_is_refused(people, amendment, fields):
    with pytest.raises(Exception, match="vừa được người khác cập nhật"):
        services.dossier_update(amendment=refresh(amendment), user=people.office_a, expected_revision=5, **fields)
    assert not DossierRevision.objects.exists()
