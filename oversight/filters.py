"""The oversight dashboard's filters, read the same way by the page, its exports and the API."""

import datetime
from functools import cached_property

from django.db.models import Q
from django_filters import ChoiceFilter, Filter, FilterSet
from drf_spectacular.utils import extend_schema_field

from organizations.access import can_audit
from organizations.choosers import OrganizationField, Purpose, register
from organizations.models import Organization, OrganizationKind

from . import selectors

# The "Thuộc" field: one of the organizations directly under the audited one, typed and chosen (a bloc has a
# hundred branches, a province a thousand), by those who audit it.
BRANCH = register(
    Purpose(
        slug="truc-thuoc",
        noun="tổ chức trực thuộc",
        allowed=can_audit,
        among=selectors.branches,
        refused="Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát.",
    )
)


class OrganizationFilter(Filter):
    field_class = OrganizationField


class OversightFilter(FilterSet):
    """The dashboard's rows under `organization` on `today`, by kind, status and branch."""

    kind = ChoiceFilter(label="Loại tổ chức", choices=OrganizationKind.choices, empty_label="Tất cả")
    status = ChoiceFilter(
        label="Tình trạng",
        choices=list(selectors.STATUS_FILTERS.items()),
        empty_label="Tất cả",
        method="filter_status",
    )
    # The page sends the name typed (`within_name`) with the id chosen; the API and the links, the id alone.
    within = OrganizationFilter(label="Thuộc", method="filter_within", purpose=BRANCH)

    def __init__(self, data=None, *, organization: Organization, today: datetime.date, request=None):
        super().__init__(data, Organization.objects.none(), request=request)
        del self.queryset  # the rows' query is built when first read (below): a page kept in the cache needs none
        self.organization = organization
        self.today = today

    @cached_property
    def queryset(self):
        return selectors.annotated(self.organization, self.today)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            super().form.fields["within"].offer_under(self.organization)
        return self._form

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
