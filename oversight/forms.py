from django import forms

from organizations.models import Organization, OrganizationKind

from .selectors import STATUS_FILTERS


class OversightFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Loại tổ chức", required=False)
    status = forms.ChoiceField(label="Tình trạng", required=False)
    within = forms.TypedChoiceField(label="Thuộc", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tất cả")] + list(OrganizationKind.choices)
        self.fields["status"].choices = list(STATUS_FILTERS.items())
        children = Organization.objects.filter(parent=organization).only("pk", "name")
        self.fields["within"].choices = [("", "Toàn bộ")] + [(str(child.pk), child.name) for child in children]
