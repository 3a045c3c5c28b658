from django import forms
from django.core.exceptions import ValidationError

# A date typed in the browser's date picker, read and written as ISO dates.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_error(form, error: ValidationError, aliases: dict | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it."""
    aliases = aliases or {}
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, messages in errors.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, messages)
