"""Adding a working-group member: a person chosen by name or login name as the office types (the suggestions show
each one's positions in the organizations the one choosing may read), or named on submit without a script; no
one outside the dossier's managers learns anyone's name or position from it.

Besides the amendment's people: Trần Thị Hoa (office of the UBND, no position: a guest from another body), two
Lê Văn Nam (one of them in B's BCH, which A's office does not read), and a departed account.
"""

import pytest
from django.urls import reverse

from organizations.models import BodyKind, Role
from quyche.choosers import SUGGESTIONS
from reviews.models import WorkingGroupMember
from tests import factories
from tests.amendments import refresh


@pytest.fixture
def newcomers(people):
    people.hoa = factories.UserFactory(username="vanphong_ubnd", last_name="Trần Thị", first_name="Hoa")
    people.nam_a = factories.UserFactory(username="nam_a", last_name="Lê Văn", first_name="Nam")
    factories.seat(people.nam_a, people.a_child, BodyKind.OFFICE, Role.OFFICE_STAFF)
    people.nam_b = factories.UserFactory(username="nam_b", last_name="Lê Văn", first_name="Nam")
    factories.seat(people.nam_b, people.b, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    people.gone = factories.UserFactory(username="da_nghi", last_name="Phạm Văn", first_name="Cũ", is_active=False)
    return people


def suggestions(client, amendment, typed):
    return client.get(reverse("reviews:group_people", args=[amendment.pk]), {"q": typed})


def suggested(client, amendment, typed) -> list[tuple[str, str]]:
    response = suggestions(client, amendment, typed)
    assert response.status_code == 200
    return [(option.text, option.detail) for option in response.context["options"]]


def add(client, amendment, **data):
    return client.post(reverse("reviews:group_add", args=[amendment.pk]), {"affiliation": "", **data})


def members(amendment) -> set[str]:
    return set(
        WorkingGroupMember.objects.filter(amendment=amendment, removed_at=None).values_list("user__username", flat=True)
    )


def test_it_suggests_people_by_name_without_diacritics_or_by_login_with_their_positions(login, amendment, newcomers):
    client = login(newcomers.office_a)
    assert suggested(client, amendment, "tran thi hoa") == [("Trần Thị Hoa", "vanphong_ubnd")]
    assert suggested(client, amendment, "vanphong") == [("Trần Thị Hoa", "vanphong_ubnd")]
    # Each with the positions held in organizations A's office reads; B's BCH is not among them.
    assert suggested(client, amendment, "LÊ VĂN nam") == [
        ("Lê Văn Nam", "nam_a · Chuyên viên Văn phòng, Đảng bộ Sở Tư pháp"),
        ("Lê Văn Nam", "nam_b"),
    ]
    assert suggested(client, amendment, "pham van cu") == []  # an account no longer in use
    assert len(suggested(client, amendment, "nguyen van thu")) <= SUGGESTIONS
    page = suggestions(client, amendment, "xyz").content.decode()
    assert 'aria-disabled="true"' in page and "Không có người nào khớp “xyz”." in page


def test_a_person_chosen_or_typed_whole_joins_the_group(login, amendment, newcomers):
    client = login(newcomers.office_a)
    response = add(client, amendment, member=newcomers.hoa.pk, member_name="Trần Thị Hoa", affiliation="Văn phòng UBND")
    assert response.status_code == 302 and "vanphong_ubnd" in members(amendment)
    add(client, amendment, member_name="nam_a")  # a login name typed whole, without a script
    assert {"vanphong_ubnd", "nam_a"} <= members(amendment)


def test_a_name_naming_several_comes_back_with_them_to_pick_from_and_adds_no_one(login, amendment, newcomers):
    client = login(newcomers.office_a)
    before = members(amendment)
    response = add(client, amendment, member_name="le van nam")
    assert response.status_code == 200 and members(amendment) == before
    assert response.context["group_form"].errors == {
        "member": ["Có nhiều người khớp “le van nam”, hãy gõ đầy đủ hơn hoặc chọn trong gợi ý."]
    }
    page = response.content.decode()
    assert f'<input type="radio" name="member" value="{newcomers.nam_a.pk}">' in page
    assert f'<input type="radio" name="member" value="{newcomers.nam_b.pk}">' in page
    # One picked, the text as it was: that one joins.
    add(client, amendment, member=newcomers.nam_b.pk, member_name="le van nam")
    assert "nam_b" in members(amendment) and "nam_a" not in members(amendment)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"member_name": "khong co ai"}, "Không có người nào có họ tên hoặc tên đăng nhập “khong co ai”."),
        ({"member_name": ""}, "Hãy gõ họ tên hoặc tên đăng nhập rồi chọn một người."),
        (
            {"member": "gone", "member_name": "Phạm Văn Cũ"},
            "Không có người nào có họ tên hoặc tên đăng nhập “Phạm Văn Cũ”.",
        ),
        ({"member": "999999"}, "Không chọn được người này; hãy gõ họ tên hoặc tên đăng nhập rồi chọn trong gợi ý."),
    ],
)
def test_a_person_not_found_or_forged_is_refused_with_a_reason_and_changes_nothing(
    login, amendment, newcomers, data, message
):
    if data.get("member") == "gone":
        data = {**data, "member": newcomers.gone.pk}
    before = members(amendment)
    response = add(login(newcomers.office_a), amendment, **data)
    assert response.status_code == 200 and members(amendment) == before
    assert response.context["group_form"].errors == {"member": [message]}


def test_one_already_in_the_group_is_refused_by_the_service_with_its_message(login, amendment, newcomers):
    response = add(login(newcomers.office_a), amendment, member_name="office_a")
    assert response.status_code == 302
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [f"{newcomers.office_a} đã ở trong tổ công tác."]


def test_no_one_but_the_chair_and_the_office_learns_anyone_from_it(login, amendment, newcomers):
    # A member of A reads the dossier but does not run the group; the outsider does not read it.
    for user, status in ((newcomers.member_a, 403), (newcomers.outsider, 404), (newcomers.superior_btv, 403)):
        client = login(user)
        assert suggestions(client, amendment, "le van nam").status_code == status
        response = add(client, amendment, member_name="le van nam")
        assert response.status_code == status and b"nam_b" not in response.content
    assert members(amendment) == {"office_a"}
    # A guest the office added is in the group, not its chair: adding others is not theirs either.
    add(login(newcomers.office_a), amendment, member=newcomers.hoa.pk, member_name="Trần Thị Hoa")
    assert suggestions(login(newcomers.hoa), refresh(amendment), "le van").status_code == 403


def test_the_suggestions_cost_a_fixed_number_of_queries(login, amendment, newcomers, django_assert_num_queries):
    client = login(newcomers.office_a)
    suggested(client, amendment, "le van nam")
    # Session, user, the dossier, its working group (the right to run it), the people, their positions shown.
    with django_assert_num_queries(6):
        assert len(suggested(client, amendment, "le van nam")) == 2
    for number in range(10):
        person = factories.UserFactory(username=f"le_{number}", last_name="Lê Văn", first_name=f"Nam {number}")
        factories.seat(person, newcomers.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    suggested(client, amendment, "le van nam")  # the office's own seats read again: positions were given
    with django_assert_num_queries(6):
        assert len(suggested(client, amendment, "le van nam")) == 12
