"""The oversight dashboard's filters, read the same way by the page, its exports and the API."""

import datetime
from functools import cached_property

from django import forms
from django.db.models import Q
from django_filters import ChoiceFilter, FilterSet, ModelChoiceFilter
from drf_spectacular.utils import extend_schema_field

from organizations.models import Organization, OrganizationKind
from quyche.text import fold

from . import selectors

BRANCH_ERROR = "Hãy chọn một tổ chức trực thuộc tổ chức đang giám sát."


class OversightForm(forms.Form):
    """The filters' form, with the branch as the page's "Thuộc" field types it: a name or code, resolved
    to one of the branches on submit (the suggestions, with JavaScript, fill in the branch's id too)."""

    within_name = forms.CharField(label="Thuộc", required=False, max_length=selectors.BRANCH_QUERY_MAX)
    organization: Organization  # set by the FilterSet: whose branches the name is looked for among

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.pop("within_name", "")  # not a filter of its own: it names the branch filtered on
        if "within_name" not in self.data:  # the API and the links: the id alone
            return cleaned
        chosen = cleaned.get("within")
        if not typed.strip():  # the field emptied: every branch
            cleaned["within"] = None
            self.errors.pop("within", None)
        elif chosen is None or fold(typed) not in (fold(chosen.name), fold(chosen.code)):
            self.errors.pop("within", None)  # a name typed since the last choice is what the user asks for
            branch, matching = selectors.branch_named(self.organization, typed)
            cleaned["within"] = branch
            if branch is None:
                self.add_error(
                    "within_name",
                    f"Có nhiều tổ chức trực thuộc khớp “{typed.strip()}”, hãy gõ đầy đủ hơn hoặc chọn trong gợi ý."
                    if matching
                    else f"Không có tổ chức trực thuộc nào có tên hoặc mã “{typed.strip()}”.",
                )
        return cleaned


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
        method="filter_within",
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": BRANCH_ERROR},
    )

    class Meta:
        form = OversightForm

    def __init__(self, data=None, *, organization: Organization, today: datetime.date, request=None):
        super().__init__(data, Organization.objects.none(), request=request)
        del self.queryset  # the rows' query is built when first read (below): a page kept in the cache needs none
        self.organization = organization
        self.today = today
        self.filters["within"].queryset = selectors.branches(organization)

    @cached_property
    def queryset(self):
        return selectors.annotated(self.organization, self.today)

    @property
    def form(self):
        form = super().form
        form.organization = self.organization
        return form

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
