"""Who is told when a regulation's text changes for good (adopted, issued, repealed): its committee and office,
the office of the superior that audits it, and those who follow it. Called in the transaction of the event."""

from collections.abc import Iterable

from django.urls import reverse

from notifications.models import NotificationReason
from notifications.reminders import People
from notifications.services import followers, notify_many
from organizations.models import BodyKind

from .models import Regulation, Version


def regulation_people(regulation: Regulation) -> set[int]:
    """The organization's committee (BCH) and office, and the office of the nearest organization above it."""
    organization = regulation.organization
    people = People.around(organization)
    superior = people.nearest_superiors({organization.pk: organization.path}).get(organization.pk)
    return (
        people.body(organization.pk, BodyKind.EXECUTIVE)
        | people.office(organization.pk)
        | (people.office(superior) if superior else set())
    )


def regulation_announce(
    *, regulation: Regulation, reason: str, period: str, title: str, body: str, url: str, actor,
    also: Iterable[int] = (),
) -> set[int]:  # fmt: skip
    """Tell the regulation's people and followers (and `also`, e.g. the amendment's followers), each once."""
    return notify_many(
        regulation_people(regulation) | followers(regulation) | set(also), reason=reason,
        subject=f"regulation:{regulation.pk}", period=period, title=title, body=body, url=url, actor=actor,
        organization_id=regulation.organization_id,
    )  # fmt: skip


def version_repealed(version: Version, *, actor) -> set[int]:
    regulation = version.regulation
    return regulation_announce(
        regulation=regulation, reason=NotificationReason.REGULATION_REPEALED, period=f"repeal:{version.pk}",
        title=f"Bãi bỏ {version.number}: {regulation.title}",
        body=f"{regulation.title} ({version.number}) bị bãi bỏ từ ngày {version.repealed_on:%d/%m/%Y} theo "
        f"{version.repealed_by_number} của {version.repealed_by_body}.",
        url=reverse("regulations:version", args=[version.pk]), actor=actor,
    )  # fmt: skip
