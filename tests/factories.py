"""Factories for tests: real rows built through the same services the product uses."""

import datetime

import factory
from django.contrib.auth import get_user_model

from organizations import services
from organizations.models import DEFAULT_SYMBOL, Body, Organization, OrganizationKind, Term
from quyche.text import fold

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


def many_children(parent, count, kind=OrganizationKind.GRASSROOTS_CELL, name="Chi bộ cơ sở số"):
    """`count` organizations under `parent` in one insert ("Chi bộ cơ sở số 0001"...), without bodies or terms.

    For the pages that must hold up under hundreds of children: the service would take a minute for them.
    """
    parent.refresh_from_db()
    last = Organization.objects.filter(parent=parent).order_by("-path").first()
    step = Organization._str2int(last.path[-Organization.steplen :]) if last else 0
    made = Organization.objects.filter(parent=parent, code__startswith="N").count()  # by an earlier call
    rows = [
        Organization(
            name=f"{name} {made + n:04d}",
            name_folded=fold(f"{name} {made + n:04d}"),
            kind=kind,
            code=f"N{made + n:04d}",
            symbol=DEFAULT_SYMBOL[kind],
            parent=parent,
            path=Organization._get_path(parent.path, parent.depth + 1, step + n),
            depth=parent.depth + 1,
        )
        for n in range(1, count + 1)
    ]
    Organization.objects.bulk_create(rows)
    Organization.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
    parent.refresh_from_db()
    return rows


def seat(user, organization, body_kind, role):
    """Give the user a position in a body of the organization for its current term."""
    body = Body.objects.get(organization=organization, kind=body_kind)
    term = Term.objects.filter(organization=organization).current().get()
    return services.position_create(user=user, body=body, term=term, role=role)
