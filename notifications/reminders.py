"""The reminders: what needs chasing today, and whom.

Each app keeps its rules in its own reminders.py, registered with `@rule` (they are found when
the apps load). A rule returns `Due` items: (recipient, reason, subject, period) plus the words
of the notice. The period makes a reminder "the same one": a regulation's review cycle, a term,
a request's deadline, a stay at a stage. `services.create` stores each once, whatever runs twice.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from organizations.access import SECRETARY_ROLES
from organizations.models import BodyKind, Organization, Position

from .models import ReminderSettings


@dataclass(frozen=True)
class Due:
    recipient_id: int
    reason: str
    subject: str
    period: str
    title: str
    body: str
    url: str
    organization_id: int | None = None  # whose matter it is: the digest groups by it


class People:
    """Who does the paperwork of each organization, and who sits in which body, loaded once per scan (or, for
    an event, of the few organizations it concerns: `organization_ids`)."""

    def __init__(self, today: datetime.date, organization_ids=None):
        self.by_body = defaultdict(set)  # (organization_id, body_kind) -> user ids
        self.secretaries = defaultdict(set)
        positions = Position.objects.active(today)
        if organization_ids is not None:
            positions = positions.filter(body__organization_id__in=organization_ids)
        for org_id, body_kind, role, user_id in positions.values_list(
            "body__organization_id", "body__kind", "role", "user_id"
        ):
            self.by_body[(org_id, body_kind)].add(user_id)
            if body_kind == BodyKind.EXECUTIVE and role in SECRETARY_ROLES:
                self.secretaries[org_id].add(user_id)

    @classmethod
    def around(cls, organization: Organization, today: datetime.date | None = None) -> "People":
        """The people of an organization and of those above it (for `nearest_superiors`), for an event."""
        lineage = Organization.objects.filter(path__in=[*organization.ancestor_paths(), organization.path])
        return cls(today or timezone.localdate(), organization_ids=lineage.values("pk"))

    def office(self, organization_id: int) -> set[int]:
        """The office staff; where there are none (a chi bộ has no office), the secretaries."""
        return self.by_body.get((organization_id, BodyKind.OFFICE)) or self.secretaries.get(organization_id, set())

    def body(self, organization_id: int, body_kind: str) -> set[int]:
        return self.by_body.get((organization_id, body_kind), set())

    def nearest_superiors(self, paths: dict[int, str]) -> dict[int, int]:
        """For each organization (id -> path), the id of the nearest organization above it with someone to tell."""
        ancestors = {path[:end] for path in paths.values() for end in range(Organization.steplen, len(path),
                                                                               Organization.steplen)}  # fmt: skip
        by_path = dict(Organization.objects.filter(path__in=ancestors).values_list("path", "pk"))
        result = {}
        for org_id, path in paths.items():
            for end in range(len(path) - Organization.steplen, 0, -Organization.steplen):
                ancestor = by_path.get(path[:end])
                if ancestor is not None and self.office(ancestor):
                    result[org_id] = ancestor
                    break
        return result


def _settings() -> dict[int, ReminderSettings]:
    return {s.organization_id: s for s in ReminderSettings.objects.all()}


# The thresholds of an organization whose office has not set its own.
DEFAULTS = ReminderSettings()

Rule = Callable[[datetime.date, People, dict], Iterable[Due]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    """Register a reminder rule: called on every scan with the day, the people and each organization's thresholds."""
    RULES.append(function)
    return function


def due_today(today: datetime.date) -> list[Due]:
    people, thresholds = People(today), _settings()
    return [item for check in RULES for item in check(today, people, thresholds)]


def path_of(view_name: str) -> Callable[[int], str]:
    """`reverse` for a view that takes one id, worked out once: a scan makes thousands of links."""
    marker = 987654321
    before, after = reverse(view_name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


def largest(thresholds: dict, name: str) -> int:
    """The largest value of a threshold over every organization (the default included): how far ahead a rule's
    query must look so that no organization's own threshold is missed."""
    return max([getattr(DEFAULTS, name), *(getattr(limits, name) for limits in thresholds.values())])
