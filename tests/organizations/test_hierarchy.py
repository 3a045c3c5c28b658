import datetime
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organizations import services
from organizations.models import Body, BodyKind, Organization, OrganizationKind, Position, Role, Term
from tests import factories

K = OrganizationKind


def test_it_builds_the_tree_with_default_bodies_and_symbols(cast):
    assert Organization.objects.get_parent(cast.a_cell) == cast.a_child
    assert cast.a_cell.parent == cast.a_child
    assert list(Organization.objects.get_ancestors(cast.a)) == [cast.city]
    assert cast.a.symbol == "ĐUK" and cast.a_child.symbol == "ĐU" and cast.a_cell.symbol == "CB"
    assert set(cast.a.bodies.values_list("kind", flat=True)) == set(BodyKind.values)
    # A chi bộ has only its chi ủy, no Ban Thường vụ.
    assert list(cast.a_cell.bodies.values_list("kind", "name")) == [(BodyKind.EXECUTIVE, "Chi ủy")]


@pytest.mark.parametrize(
    ("kind", "parent_attr", "message"),
    [
        (K.CELL, "a", "Chi bộ trực thuộc không thể trực thuộc đảng ủy khối"),
        (K.GRASSROOTS_COMMITTEE, "a_cell", "không thể trực thuộc chi bộ trực thuộc"),
        (K.PARTY_DELEGATION, "a", "Đảng đoàn không thể trực thuộc đảng ủy khối"),
        (K.PARTY_AFFAIRS, "a_child", "Ban cán sự đảng không thể trực thuộc đảng bộ cơ sở"),
        (K.BLOC, None, "phải trực thuộc một tổ chức đảng cấp trên"),
    ],
)
def test_it_refuses_a_kind_that_may_not_sit_under_the_parent(cast, kind, parent_attr, message):
    before = Organization.objects.count(), Body.objects.count()
    parent = getattr(cast, parent_attr) if parent_attr else None
    with pytest.raises(ValidationError) as error:
        services.organization_create(name="Tổ chức sai chỗ", kind=kind, code="SAI", parent=parent)
    assert message in str(error.value.message_dict["parent"])
    assert (Organization.objects.count(), Body.objects.count()) == before


def test_it_refuses_a_duplicate_code_among_siblings_but_not_elsewhere(cast):
    with pytest.raises(ValidationError) as error:
        services.organization_create(name="Đảng bộ khác", kind=K.GRASSROOTS_COMMITTEE, code="STP", parent=cast.a)
    assert 'Mã "STP" đã được dùng' in error.value.message_dict["code"][0]
    assert Organization.objects.filter(code="STP").count() == 1
    # Under another parent the same code is fine.
    services.organization_create(name="Đảng bộ phường khác", kind=K.GRASSROOTS_COMMITTEE, code="STP", parent=cast.b)
    assert Organization.objects.filter(code="STP").count() == 2


def test_it_stores_names_in_nfc_and_finds_them_without_diacritics(cast):
    org = services.organization_create(
        name=unicodedata.normalize("NFD", "Chi bộ Phòng Kế hoạch"), kind=K.CELL, code="KH", parent=cast.a_child
    )
    assert org.name == unicodedata.normalize("NFC", "Chi bộ Phòng Kế hoạch")
    assert list(Organization.objects.search("phong ke hoach")) == [org]


def test_it_refuses_a_position_outside_its_term(cast):
    term = Term.objects.get(organization=cast.a)
    body = Body.objects.get(organization=cast.a, kind=BodyKind.STANDING)
    user = factories.UserFactory()
    with pytest.raises(ValidationError) as error:
        services.position_create(
            user=user, body=body, term=term, role=Role.STANDING_MEMBER, start=datetime.date(2024, 6, 1)
        )
    assert "phải nằm trong Nhiệm kỳ 2025 - 2030" in str(error.value)
    with pytest.raises(ValidationError):
        services.position_create(
            user=user, body=body, term=term, role=Role.STANDING_MEMBER, end=datetime.date(2031, 1, 1)
        )
    assert not Position.objects.filter(user=user).exists()


def test_it_refuses_a_role_from_another_body_or_a_term_of_another_organization(cast):
    user = factories.UserFactory()
    office = Body.objects.get(organization=cast.a, kind=BodyKind.OFFICE)
    with pytest.raises(ValidationError, match="Chức vụ Bí thư không thuộc Văn phòng"):
        services.position_create(user=user, body=office, term=office.organization.terms.get(), role=Role.SECRETARY)
    with pytest.raises(ValidationError, match="Nhiệm kỳ không thuộc tổ chức"):
        services.position_create(
            user=user, body=office, term=Term.objects.get(organization=cast.b), role=Role.OFFICE_STAFF
        )
    assert not Position.objects.filter(user=user).exists()


def test_it_refuses_overlapping_terms(cast):
    with pytest.raises(ValidationError, match="trùng thời gian"):
        services.term_create(
            organization=cast.a, name="Nhiệm kỳ chồng", start=datetime.date(2029, 1, 1), end=datetime.date(2034, 1, 1)
        )
    with pytest.raises(ValidationError, match="phải sau ngày bắt đầu"):
        services.term_create(
            organization=cast.a, name="Nhiệm kỳ ngược", start=datetime.date(2036, 1, 1), end=datetime.date(2035, 1, 1)
        )
    services.term_create(
        organization=cast.a, name="Nhiệm kỳ 2030 - 2035", start=datetime.date(2030, 1, 2), end=datetime.date(2035, 1, 1)
    )
    assert cast.a.terms.count() == 2


def test_the_service_itself_lets_only_an_office_above_add_an_organization(cast):
    count = Organization.objects.count()
    for user in (cast.member_a, cast.btv_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.organization_create(name="Chi bộ mới", kind=OrganizationKind.CELL, code="M", parent=cast.a_child,
                                         user=user)  # fmt: skip
    assert Organization.objects.count() == count
    created = services.organization_create(
        name="Chi bộ mới", kind=OrganizationKind.CELL, code="M", parent=cast.a_child, user=cast.office_a
    )
    assert created.is_below(cast.a)
