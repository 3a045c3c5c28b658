"""Factories for tests: real rows built through the same services the product uses."""

import datetime

import factory
from django.contrib.auth import get_user_model

from organizations import services
from organizations.models import Body, OrganizationKind, Term

PASSWORD = "mat-khau-thu-nghiem"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    last_name = "Nguyễn Văn"
    first_name = factory.Sequence(lambda n: f"Thử {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    password = factory.django.Password(PASSWORD)


_codes = iter(range(1, 10**9))


def organization(kind=OrganizationKind.GRASSROOTS_COMMITTEE, parent=None, name=None, code=None, term=True):
    """An organization with its default bodies and, unless told otherwise, a current term."""
    number = next(_codes)
    org = services.organization_create(
        name=name or f"{OrganizationKind(kind).label} thử nghiệm {number}",
        kind=kind,
        code=code or f"T{number}",
        parent=parent,
    )
    if term:
        services.term_create(
            organization=org,
            name="Nhiệm kỳ 2025 - 2030",
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2030, 1, 1),
        )
    return org


def seat(user, organization, body_kind, role):
    """Give the user a position in a body of the organization for its current term."""
    body = Body.objects.get(organization=organization, kind=body_kind)
    term = Term.objects.filter(organization=organization).current().get()
    return services.position_create(user=user, body=body, term=term, role=role)
