"""The oversight dashboard's filters, read the same way by the page, its exports and the API."""

import datetime

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django_filters import ChoiceFilter, FilterSet, ModelChoiceFilter
from drf_spectacular.utils import extend_schema_field

from organizations.models import Organization, OrganizationKind

from . import selectors


class BranchSelect(forms.Select):
    """Django's select with its options written at once, not one template each: a bloc has a thousand
    branches and more, and their templates took most of the page's time (bench/oversight.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class OversightFilter(FilterSet):
    """The dashboard's rows under `organization` on `today`, by kind, status and branch."""

    kind = ChoiceFilter(label="Loại tổ chức", choices=OrganizationKind.choices, empty_label="Tất cả")
    status = ChoiceFilter(
        label="Tình trạng",
        choices=list(selectors.STATUS_FILTERS.items()),
        empty_label="Tất cả",
        method="filter_status",
    )
    within = ModelChoiceFilter(
        label="Thuộc",
        empty_label="Toàn bộ",
        method="filter_within",
        widget=BranchSelect,
        error_messages={"invalid_choice": "Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát."},
    )

    def __init__(self, data=None, *, organization: Organization, today: datetime.date, request=None):
        super().__init__(data, selectors.annotated(organization, today), request=request)
        self.today = today
        self.filters["within"].queryset = Organization.objects.filter(parent=organization)

    def filter_status(self, rows, name, value: str):
        condition = {
            "has": Q(current_rules=True),
            "missing": Q(current_rules=False),
            "overdue": Q(next_review_on__lt=self.today),
            "amending": Q(amending=True),
            "review_basis": Q(review_basis=True),
        }[value]
        return rows.filter(condition)

    @extend_schema_field({"type": "integer", "description": "Một tổ chức trực thuộc: chỉ nó và các tổ chức thuộc nó."})
    def filter_within(self, rows, name, child):
        return rows.below(child, include_self=True)
