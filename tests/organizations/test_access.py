import pytest
import time_machine
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from organizations import access
from organizations.models import Body, BodyKind
from tests import factories


def fresh(user):
    """The same person as a new request would see them (access caches seats per request)."""
    return type(user).objects.get(pk=user.pk)


def test_it_lets_office_staff_draft_for_their_own_organization_only(cast):
    assert access.can_draft(cast.office_a, cast.a)
    assert not access.can_draft(cast.office_a, cast.a_child)
    assert not access.can_draft(cast.btv_a, cast.a)
    assert not access.can_draft(cast.superior_btv, cast.a)
    assert not access.can_draft(cast.outsider, cast.a)


def test_it_lets_a_chi_bo_secretary_draft_where_there_is_no_office(cast):
    secretary = factories.UserFactory()
    factories.seat(secretary, cast.a_cell, BodyKind.EXECUTIVE, "secretary")
    assert access.can_draft(secretary, cast.a_cell)
    assert not access.can_draft(secretary, cast.a_child)


def test_it_lets_members_act_only_for_their_bodies(cast):
    standing = Body.objects.get(organization=cast.a, kind=BodyKind.STANDING)
    executive = Body.objects.get(organization=cast.a, kind=BodyKind.EXECUTIVE)
    assert access.can_act_for_body(cast.btv_a, standing)
    assert access.can_act_for_body(cast.member_a, executive)
    assert not access.can_act_for_body(cast.member_a, standing)
    assert not access.can_act_for_body(cast.superior_btv, standing)


def test_it_lets_the_superiors_btv_audit_all_descendants(cast):
    for organization in (cast.city, cast.a, cast.a_child, cast.a_cell, cast.b, cast.b_child):
        assert access.can_view_organization(cast.superior_btv, organization)
        assert access.can_audit(cast.superior_btv, organization)


def test_it_lets_btv_and_office_of_a_audit_a_subtree_but_not_beside_or_above(cast):
    for user in (cast.btv_a, cast.office_a):
        assert access.can_audit(user, cast.a_cell)
        assert not access.can_view_organization(user, cast.city)
        assert not access.can_view_organization(user, cast.b)


def test_it_lets_a_plain_committee_member_see_their_organization_but_not_audit_below(cast):
    assert access.can_view_organization(cast.member_a, cast.a)
    assert not access.can_audit(cast.member_a, cast.a)
    assert not access.can_view_organization(cast.member_a, cast.a_child)


def test_it_hides_a_from_an_outsider(cast):
    assert not access.can_view_organization(cast.outsider, cast.a)
    assert set(access.visible_organizations(cast.outsider)) == {cast.b}
    with pytest.raises(Http404):
        access.get_organization_for_user(cast.outsider, cast.a.pk)


def test_it_opens_one_organization_to_a_person_granted_it_explicitly(cast):
    guest = factories.UserFactory()  # e.g. a working-group member from the UBND office
    assert not access.can_view_organization(guest, cast.a)
    assign_perm("organizations.view_organization", guest, cast.a)
    guest = fresh(guest)
    assert access.can_view_organization(guest, cast.a)
    assert not access.can_view_organization(guest, cast.a_child)
    assert set(access.visible_organizations(guest)) == {cast.a}
    remove_perm("organizations.view_organization", guest, cast.a)
    assert not access.can_view_organization(fresh(guest), cast.a)


def test_it_counts_only_active_positions(cast):
    with time_machine.travel("2031-06-01"):
        # The term ended: the office no longer drafts, the BTV no longer audits.
        assert not access.can_draft(fresh(cast.office_a), cast.a)
        assert not access.can_view_organization(fresh(cast.superior_btv), cast.a)


def test_it_lists_visible_organizations_in_one_query(cast, django_assert_num_queries):
    user = fresh(cast.superior_btv)
    access.seats(user)
    with django_assert_num_queries(1):
        assert len(list(access.visible_organizations(user))) == 6
