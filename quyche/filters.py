"""What the lists' FilterSets share."""

from django import forms
from django_filters import Filter

from .ids import BIGGEST_ID


class IdFilter(Filter):
    """A row's id in the query string; anything else is refused with `message`.

    A decimal would match the id it rounds to, and a number beyond the database's integers would fail there.
    """

    field_class = forms.IntegerField

    def __init__(self, *, message: str, **kwargs):
        errors = dict.fromkeys(("invalid", "min_value", "max_value"), message)
        super().__init__(min_value=1, max_value=BIGGEST_ID, error_messages=errors, **kwargs)
