"""The oversight dashboard's filters, read the same way by the page, its exports and the API."""

import datetime

from django.db.models import Q
from django_filters import ChoiceFilter, FilterSet, ModelChoiceFilter
from drf_spectacular.utils import extend_schema_field

from organizations.models import Organization, OrganizationKind

from . import selectors


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
