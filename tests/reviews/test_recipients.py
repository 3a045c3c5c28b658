"""Whom the working group asks for opinions: the committee's members, grouped with the subordinate organizations by
kind; never the office's staff nor the sender herself."""

from django.urls import reverse

from organizations.models import BodyKind, OrganizationKind, Role
from tests import factories
from tests.amendments import at_consultation  # noqa: F401  (fixture)


def recipients_form(client, amendment):
    response = client.get(reverse("reviews:consultation", args=[amendment.pk]))
    assert response.status_code == 200
    return response.context["form"]


def test_it_lists_the_members_without_the_sender_and_the_office(login, people, at_consultation):  # noqa: F811
    # The office staffer sits in the BCH too, as happens: she does not ask herself.
    factories.seat(people.office_a, people.a, BodyKind.EXECUTIVE, Role.COMMITTEE_MEMBER)
    second_office = factories.UserFactory(username="office_a_2")
    factories.seat(second_office, people.a, BodyKind.OFFICE, Role.OFFICE_STAFF)
    form = recipients_form(login(people.office_a), at_consultation)
    members = [label for _, label in form.fields["users"].choices]
    assert str(people.office_a) not in members and str(second_office) not in members
    assert str(people.bithu_a) in members and str(people.btv_a) in members and str(people.member_a) in members
    # Asking her anyway (a page kept open, a crafted form) is refused as any choice not offered.
    response = login(people.office_a).post(
        reverse("reviews:consultation", args=[at_consultation.pk]),
        {"due": "2099-01-01", "users": [str(people.office_a.pk)]},
    )
    assert response.status_code == 200 and response.context["form"].errors["users"]
    assert not at_consultation.requests.filter(user=people.office_a).exists()


def test_it_groups_the_recipients_each_group_with_its_boxes(login, people, at_consultation):  # noqa: F811
    for number in range(3):
        factories.organization(OrganizationKind.GRASSROOTS_CELL, parent=people.a, name=f"Chi bộ Sở số {number}")
    client = login(people.office_a)
    groups = recipients_form(client, at_consultation).recipient_groups()
    assert [(label, len(boxes)) for label, boxes in groups] == [
        ("Cấp ủy viên", 6),  # Bí thư, BTV, a member, three more of the BCH
        ("Đảng bộ cơ sở", 1),
        ("Chi bộ cơ sở", 3),
    ]
    page = client.get(reverse("reviews:consultation", args=[at_consultation.pk])).content.decode()
    assert page.count("<fieldset data-recipient-group>") == 3
    assert 'src="/static/js/recipients.js"' in page
