from django import forms
from django.core.exceptions import ValidationError

from quyche.forms import SearchForm, TypedText, add_service_error, whole_number

from .models import ALLOWED_PARENTS, Organization, OrganizationKind
from .services import check_new_organization


class ChildOrganizationForm(forms.Form):
    """A new organization directly under `parent`."""

    name = TypedText(label="Tên tổ chức", max_length=255)
    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrganizationKind.choices)
    code = TypedText(label="Mã", max_length=32, help_text="Không trùng với tổ chức khác cùng cấp trên.")
    symbol = TypedText(
        label="Ký hiệu trên văn bản", max_length=16, required=False, help_text="Để trống để dùng ký hiệu theo loại."
    )

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.fields["kind"].error_messages["invalid_choice"] = f"Loại tổ chức này không được trực thuộc {parent.name}."
        self.fields["kind"].choices = [
            (value, label) for value, label in OrganizationKind.choices if parent.kind in ALLOWED_PARENTS[value]
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            check_new_organization(name=data["name"], kind=data["kind"], code=data["code"], parent=self.parent)
        except ValidationError as error:
            add_service_error(self, error)
        return data


class ChildrenForm(SearchForm):
    """Which page of an organization's children to show, filtered by name (`?q=`)."""

    trang = whole_number(label="Trang", min_value=1, max_value=10_000, required=False)
