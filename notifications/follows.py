"""What a person may follow: a regulation, an amendment. Each is registered by the app that owns it (in its
apps.py), with its reading rule, since this app lies below them all: the follow button, its view and the
list of what one follows work the same for any of them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Followable:
    kind: str  # in the URL: /theo-doi/<kind>/<id>/
    noun: str  # "quy chế", as the list of what one follows names it
    model: type[models.Model]
    get_for_user: Callable  # (user, pk) -> the object, or Http404 for one the user may not read
    can_view: Callable  # (user, object) -> bool
    url: Callable  # (object) -> its page


FOLLOWABLE: dict[str, Followable] = {}


def register(**kwargs) -> Followable:
    followable = Followable(**kwargs)
    FOLLOWABLE[followable.kind] = followable
    return followable


def of(target) -> Followable:
    """The registration of an object's model (a subclass's, a proxy's too)."""
    for followable in FOLLOWABLE.values():
        if isinstance(target, followable.model):
            return followable
    raise LookupError(f"{type(target).__name__} cannot be followed")


def by_model(model) -> Followable | None:
    return next((f for f in FOLLOWABLE.values() if f.model._meta.concrete_model is model), None)
