"""An inspection's target, an organization chooser (organizations/choosers.py): suggested as the inspecting side
types, among the organizations below its own, and checked again when the form is sent; no one else learns them.

Besides the cast: btv_b (BTV of B: inspects B's subtree, nothing of A's) and "Chi bộ Văn phòng Sở" twice, under
A's đảng bộ (a_cell) and under B's.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import Inspection
from organizations.models import BodyKind, OrganizationKind, Role
from tests import factories


@pytest.fixture
def sides(cast):
    cast.btv_b = factories.UserFactory(username="btv_b")
    factories.seat(cast.btv_b, cast.b, BodyKind.STANDING, Role.STANDING_MEMBER)
    cast.b_cell = factories.organization(
        OrganizationKind.CELL, parent=cast.b_child, name="Chi bộ Văn phòng Sở", code="CB1"
    )
    return cast


def suggestions(client, organization, typed):
    return client.get(reverse("organizations:choose", args=[organization.pk, "kiem-tra"]), {"q": typed})


def suggested(client, organization, typed) -> list[tuple[str, str]]:
    response = suggestions(client, organization, typed)
    assert response.status_code == 200
    return [(option.text, option.detail) for option in response.context["options"]]


def create(client, organization, **data):
    values = {"kind": "inspection", "date": timezone.localdate().isoformat(), "team": "Đoàn kiểm tra",
              "scope": "Việc thực hiện quy chế.", **data}  # fmt: skip
    return client.post(reverse("inspections:create", args=[organization.pk]), values)


def test_it_suggests_the_organizations_below_with_the_one_each_belongs_to(login, sides):
    client = login(sides.superior_btv)
    assert suggested(client, sides.city, "van phong so") == [
        ("Chi bộ Văn phòng Sở", "CB1 · thuộc Đảng bộ phường Bùi Hữu Nghĩa"),
        ("Chi bộ Văn phòng Sở", "CB1 · thuộc Đảng bộ Sở Tư pháp"),
    ]
    # The name of the one it belongs to tells them apart; a name of its own comes before.
    assert suggested(client, sides.city, "van phong tu phap") == [
        ("Chi bộ Văn phòng Sở", "CB1 · thuộc Đảng bộ Sở Tư pháp")
    ]
    assert suggested(client, sides.city, "QUBT") == [("Quận ủy Bình Thủy", "QUBT")]  # by code; directly below
    # The inspecting organization itself is not below it.
    found = [name for name, _ in suggested(client, sides.city, "thu nghiem")]
    assert "Đảng ủy Khối Cơ quan thử nghiệm" in found and "Thành ủy Thử nghiệm" not in found


def test_no_one_else_learns_the_organizations_from_it(login, sides):
    # The city's organizations do not exist for B's people; B's BTV is offered B's own subtree only.
    for user in (sides.outsider, sides.btv_b, sides.member_a):
        assert suggestions(login(user), sides.city, "van phong").status_code == 404
    assert suggested(login(sides.btv_b), sides.b, "van phong") == [
        ("Chi bộ Văn phòng Sở", "CB1 · thuộc Đảng bộ phường Bùi Hữu Nghĩa")
    ]
    # B's secretary reads B but does not inspect for it; A's member reads A but does not inspect for it.
    assert suggestions(login(sides.outsider), sides.b, "van phong").status_code == 404
    assert suggestions(login(sides.member_a), sides.a, "van phong").status_code == 404
    # A purpose no app registered.
    assert (
        login(sides.superior_btv).get(reverse("organizations:choose", args=[sides.city.pk, "khac"])).status_code == 404
    )


def test_a_name_typed_whole_is_resolved_without_a_script(login, sides):
    response = create(login(sides.btv_b), sides.b, inspected_name="chi bo van phong so")
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.inspected == sides.b_cell


def test_a_name_naming_several_comes_back_with_them_to_pick_from(login, sides):
    client = login(sides.superior_btv)
    response = create(client, sides.city, inspected_name="Chi bộ Văn phòng Sở")
    assert response.status_code == 200 and not Inspection.objects.exists()
    assert response.context["form"].errors == {
        "inspected": ["Có nhiều tổ chức cấp dưới khớp “Chi bộ Văn phòng Sở”, hãy gõ đầy đủ hơn hoặc chọn trong gợi ý."]
    }
    page = response.content.decode()
    assert f'<input type="radio" name="inspected" value="{sides.a_cell.pk}">' in page
    assert f'<input type="radio" name="inspected" value="{sides.b_cell.pk}">' in page
    create(client, sides.city, inspected=sides.b_cell.pk, inspected_name="Chi bộ Văn phòng Sở")
    assert Inspection.objects.get().inspected == sides.b_cell


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # A's BTV inspects below A: B's cell is not there, by its id or by its name with a forged id; nor is A.
        ({"inspected": "b_cell"}, "Hãy chọn một tổ chức cấp dưới của tổ chức kiểm tra, giám sát."),
        (
            {"inspected": "b_cell", "inspected_name": "phường Bùi Hữu Nghĩa"},
            "Không có tổ chức cấp dưới nào có tên hoặc mã “phường Bùi Hữu Nghĩa”.",
        ),
        ({"inspected_name": "Quận ủy Bình Thủy"}, "Không có tổ chức cấp dưới nào có tên hoặc mã “Quận ủy Bình Thủy”."),
        (
            {"inspected": "a", "inspected_name": "Đảng ủy Khối Cơ quan thử nghiệm"},  # A's child offered, not taken
            "“Đảng ủy Khối Cơ quan thử nghiệm” không phải tên đầy đủ của tổ chức cấp dưới nào; hãy chọn trong gợi ý.",
        ),
        ({"inspected": "abc", "inspected_name": ""}, "Hãy gõ tên hoặc mã rồi chọn một tổ chức cấp dưới."),
        ({"inspected": "abc"}, "Hãy chọn một tổ chức cấp dưới của tổ chức kiểm tra, giám sát."),
    ],
)
def test_an_organization_not_below_is_refused_with_a_reason_and_nothing_is_recorded(login, sides, data, message):
    data = {key: getattr(sides, value).pk if hasattr(sides, value) else value for key, value in data.items()}
    response = create(login(sides.btv_a), sides.a, **data)
    assert response.status_code == 200 and not Inspection.objects.exists()
    assert response.context["form"].errors == {"inspected": [message]}


def test_a_forged_id_with_a_name_below_is_the_one_named(login, sides):
    """What is typed names the organization: a forged id beside it is not taken, the name is looked for below."""
    create(login(sides.btv_a), sides.a, inspected=sides.b_cell.pk, inspected_name="Chi bộ Văn phòng Sở")
    assert Inspection.objects.get().inspected == sides.a_cell


def test_the_suggestions_cost_a_fixed_number_of_queries(login, sides, django_assert_num_queries):
    client = login(sides.superior_btv)
    suggested(client, sides.city, "chi bo")
    # Session, user, the city, the organizations found with their parents (the user's seats are kept).
    with django_assert_num_queries(4):
        suggested(client, sides.city, "chi bo")
    for number in range(25):
        factories.organization(OrganizationKind.CELL, parent=sides.a_child, name=f"Chi bộ khu vực {number}", term=False)
    suggested(client, sides.city, "chi bo")  # the user's seats read again: the tree has changed
    with django_assert_num_queries(4):
        assert len(suggested(client, sides.city, "chi bo")) == 20
