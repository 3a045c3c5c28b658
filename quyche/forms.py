from django import forms
from django.core.exceptions import ValidationError

from .ids import BIGGEST_ID
from .text import nfc

# A date typed in the browser's date picker, read and written as ISO dates.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# How long a text typed in a box may be: a reason, a finding, an opinion; a part of the dossier or an article.
TEXT_MAX = 10_000
LONG_TEXT_MAX = 50_000


class TypedText(forms.CharField):
    """Text a person types: in the form we store (no NUL, no invisible characters), capped with a clear message.

    One line, or a box of `rows` lines. `max_length=None` leaves the cap to the service (a comment's).
    """

    def __init__(self, *, label: str, max_length: int | None = TEXT_MAX, rows: int | None = None, **kwargs):
        if rows:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(label=label, max_length=max_length, **kwargs)
        if max_length:
            limit = f"{max_length:,}".replace(",", ".")
            self.error_messages["max_length"] = f"{label}: tối đa {limit} ký tự (đã nhập %(show_value)d ký tự)."

    def to_python(self, value):
        value = nfc(super().to_python(value))
        return value.strip() if self.strip else value


class SearchForm(forms.Form):
    """What a person searches for (`?q=`), on a page or through the API."""

    q = TypedText(label="Từ khóa tìm kiếm", max_length=200, required=False)


def whole_number(*, label: str = "", min_value: int, max_value: int, **kwargs) -> forms.IntegerField:
    """A number typed or posted back, within bounds (the database's small integers end at 32,767)."""

    def message(text: str) -> str:
        return f"{label}: {text}" if label else text.capitalize()

    return forms.IntegerField(
        label=label or None,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "invalid": message("cần nhập một số nguyên."),
            "min_value": message("không được nhỏ hơn %(limit_value)s."),
            "max_value": message("không được lớn hơn %(limit_value)s."),
        },
        **kwargs,
    )


def posted_id(**kwargs) -> forms.IntegerField:
    """The id of a row that a page posts back (hidden): within BigAutoField's range, or the form is invalid."""
    return whole_number(min_value=1, max_value=BIGGEST_ID, widget=forms.HiddenInput, **kwargs)


def error_text(form) -> str:
    """A refused form's errors as one message, each with its field's name, for views that answer with a redirect."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        parts += [error if not label or error.startswith(label) else f"{label}: {error}" for error in errors]
    return " ".join(parts)


def add_service_error(form, error: ValidationError, aliases: dict | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it."""
    aliases = aliases or {}
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, messages)
