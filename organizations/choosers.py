"""Choosing an organization, or a person, by typing (quyche/choosers.py): a province has thousands of each.

An organization is chosen for a purpose, under another one (the anchor): a branch to narrow the oversight
dashboard to, the organization an inspection looks at. The app that owns the purpose registers it with who may
choose and among which organizations; the form validates with it and the one endpoint below suggests with it, so
the two cannot offer different organizations.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from quyche.choosers import Choices, ChooserField, Option, holds_every_word, suggestions, words_of
from quyche.ids import as_id
from quyche.text import fold

from .access import get_organization_for_user, readable
from .models import Organization, Position, Role, User


@dataclass(frozen=True)
class Purpose:
    """What an organization is chosen for under an anchor: who may choose there, and among which."""

    slug: str  # in the endpoint's address
    noun: str  # "tổ chức trực thuộc": in the messages and the list's name
    allowed: Callable[[User, Organization], bool]  # the form's own rule, asked again by the endpoint
    among: Callable[[Organization], QuerySet]
    refused: str = ""  # for an id sent alone that is not among them (an API call, a link)


PURPOSES: dict[str, Purpose] = {}


def register(purpose: Purpose) -> Purpose:
    """Called by the module that defines the purpose's form, so the endpoint knows it once the URLs are read."""
    PURPOSES[purpose.slug] = purpose
    return purpose


ORDER = ("name_folded", "parent__name_folded", "pk")


def _holding(words: list[str], *fields: str) -> Q:
    """Every word in one of these folded fields; nothing for no word."""
    if not words:
        return Q(pk__in=[])
    condition = Q()
    for word in words:
        either = Q()
        for field in fields:
            either |= Q(**{f"{field}__contains": word})
        condition &= either
    return condition


class OrganizationChoices(Choices):
    """The organizations of a purpose under an anchor, by name or code; each word typed is looked for in the name
    and in its parent's, one at least in its own (a province has fifty-four "Chi bộ Văn phòng": "văn phòng sở tư
    pháp" finds one; "sở tư pháp" alone names the đảng bộ, not its cells)."""

    how = "tên hoặc mã"

    def __init__(self, purpose: Purpose, anchor: Organization):
        self.noun, self.refused, self.anchor = purpose.noun, purpose.refused, anchor
        self.queryset = purpose.among(anchor).select_related("parent").order_by(*ORDER)

    def get(self, chosen_id):
        return self.queryset.filter(pk=as_id(chosen_id)).first()

    def named(self, typed):
        typed = typed.strip()
        whole = list(self.queryset.filter(Q(name_folded=fold(typed)) | Q(code__iexact=typed))[:2])
        return whole or list(self.queryset.filter(_holding(words_of(typed), "name_folded"))[:2])

    def matching(self, typed, limit):
        words = words_of(typed)
        if not words:
            return []
        own = _holding(words, "name_folded")
        # The parent's name narrows, it does not name: one word at least is of the organization's own name.
        some_own = Q(pk__in=[])
        for word in words:
            some_own |= Q(name_folded__contains=word)
        with_parent = _holding(words, "name_folded", "parent__name_folded") & some_own
        found = self.queryset.filter(with_parent | Q(code__istartswith=typed.strip()))
        # Those named by the words typed first, then those found with their parent's name.
        found = found.annotate(own=Case(When(own, then=Value(0)), default=Value(1))).order_by("own", *ORDER)
        return list(found[:limit])

    def still_names(self, organization, typed):
        parent = organization.parent.name_folded if organization.parent_id else ""
        words = words_of(typed)
        return organization.code.lower().startswith(typed.strip().lower()) or (
            holds_every_word(f"{organization.name_folded} {parent}", typed)
            and any(word in organization.name_folded for word in words)
        )

    def option(self, organization):
        detail = [organization.code]
        if organization.parent_id and organization.parent_id != self.anchor.pk:
            detail.append(f"thuộc {organization.parent.name}")
        return Option(str(organization.pk), organization.name, " · ".join(detail))


class OrganizationField(ChooserField):
    """An organization chosen for `purpose`; the form calls `offer_under(anchor)` before it is bound to data."""

    def __init__(self, *, purpose: Purpose, **kwargs):
        super().__init__(**kwargs)
        self.purpose = purpose

    def offer_under(self, anchor: Organization) -> None:
        url = reverse("organizations:choose", args=[anchor.pk, self.purpose.slug])
        self.offer(OrganizationChoices(self.purpose, anchor), url)


@login_required
def organization_suggestions(request, pk, purpose):
    """The organizations a user may choose for a purpose under an organization, as they type; nothing of an
    organization they may not read, nor for a purpose they may not choose for there."""
    anchor = get_organization_for_user(request.user, pk)
    chosen_for = PURPOSES.get(purpose)
    if chosen_for is None or not chosen_for.allowed(request.user, anchor):
        raise Http404("Không tìm thấy trang.")
    return suggestions(request, OrganizationChoices(chosen_for, anchor))


class PersonChoices(Choices):
    """People among `queryset`, by name or login name, each shown with their positions in the organizations the
    one choosing may read (those elsewhere are not theirs to learn)."""

    noun = "người"
    how = "họ tên hoặc tên đăng nhập"

    def __init__(self, queryset: QuerySet, *, shown_to: User):
        seats = (
            Position.objects.active()
            .filter(readable(shown_to, via="body__organization"))
            .select_related("body__organization")
            .order_by("body__organization__path", "role")
        )
        self.queryset = queryset.prefetch_related(Prefetch("positions", queryset=seats, to_attr="seats_shown"))
        self.queryset = self.queryset.order_by("name_folded", "username")

    def get(self, chosen_id):
        return self.queryset.filter(pk=as_id(chosen_id)).first()

    def named(self, typed):
        typed = typed.strip()
        return list(self.queryset.filter(Q(username__iexact=typed) | Q(name_folded=fold(typed)))[:2])

    def matching(self, typed, limit):
        words = words_of(typed)
        if not words:
            return []
        by_name_or_login = _holding(words, "name_folded") | Q(username__istartswith=typed.strip())
        return list(self.queryset.filter(by_name_or_login)[:limit])

    def still_names(self, person, typed):
        return person.username.lower().startswith(typed.strip().lower()) or holds_every_word(person.name_folded, typed)

    def option(self, person):
        seats = {}
        for seat in getattr(person, "seats_shown", []):
            organization = seat.body.organization
            roles = seats.setdefault(organization.name, [])
            if (role := Role(seat.role).label) not in roles:
                roles.append(role)
        held = [f"{', '.join(roles)}, {name}" for name, roles in seats.items()]
        return Option(str(person.pk), str(person), " · ".join([person.username, *held]))
