"""One answer to "is this organization below that one?", on objects, on paths, on seats and in queries."""

import pytest

from organizations.access import seats
from organizations.models import BodyKind, Organization


@pytest.mark.parametrize(
    ("path", "ancestor_path", "below", "below_or_self"),
    [
        ("00010001", "0001", True, True),  # a child
        ("000100010001", "0001", True, True),  # a grandchild
        ("0001", "0001", False, True),  # itself
        ("0002", "0001", False, False),  # a sibling
        ("00010002", "00010001", False, False),  # a sibling whose path starts like the other's
        ("000100020001", "00010001", False, False),  # a sibling's child
        ("0001", "00010001", False, False),  # one above
    ],
)
def test_it_tells_below_on_paths(path, ancestor_path, below, below_or_self):
    assert Organization.path_is_below(path, ancestor_path) is below
    assert Organization.path_is_below(path, ancestor_path, include_self=True) is below_or_self


def names(organizations):
    return {organization.name for organization in organizations}


def test_it_counts_children_and_grandchildren_below_and_itself_only_when_asked(cast):
    assert names(Organization.objects.below(cast.a)) == names([cast.a_child, cast.a_cell])
    assert names(Organization.objects.below(cast.a, include_self=True)) == names([cast.a, cast.a_child, cast.a_cell])
    assert cast.a_child.is_below(cast.a) and cast.a_cell.is_below(cast.a)
    assert not cast.a.is_below(cast.a) and cast.a.is_below(cast.a, include_self=True)
    # Never the sibling B (its path starts like A's: both under the city), its child, or the city above.
    for elsewhere in (cast.b, cast.b_child, cast.city):
        assert not elsewhere.is_below(cast.a, include_self=True)


def test_the_object_the_query_and_the_condition_agree_on_every_pair(cast):
    nodes = [cast.city, cast.a, cast.a_child, cast.a_cell, cast.b, cast.b_child]
    for other in nodes:
        for include_self in (False, True):
            expected = names(node for node in nodes if node.is_below(other, include_self=include_self))
            assert names(Organization.objects.below(other, include_self=include_self)) == expected
            condition = Organization.below_any([other.path], include_self=include_self)
            assert names(Organization.objects.filter(condition)) == expected


def test_it_finds_what_lies_below_any_of_several_paths(cast, django_assert_num_queries):
    paths = [cast.a_child.path, cast.b.path]
    assert names(Organization.objects.filter(Organization.below_any(paths))) == names([cast.a_cell, cast.b_child])
    assert names(Organization.objects.filter(Organization.below_any(paths, include_self=True))) == names(
        [cast.a_child, cast.a_cell, cast.b, cast.b_child]
    )
    with django_assert_num_queries(0):
        assert not Organization.objects.filter(Organization.below_any([])).exists()


def test_a_seat_covers_its_organization_and_those_below(cast):
    [standing] = [seat for seat in seats(cast.btv_a) if seat.body_kind == BodyKind.STANDING]
    assert standing.covers(cast.a) and standing.covers(cast.a_child) and standing.covers(cast.a_cell)
    assert not standing.covers(cast.city) and not standing.covers(cast.b) and not standing.covers(cast.b_child)
