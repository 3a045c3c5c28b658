"""The organization list's filters."""

from django_filters import FilterSet

from quyche.filters import IdFilter


class OrganizationFilter(FilterSet):
    parent = IdFilter(
        label="Cấp trên",
        help_text="Chỉ các tổ chức trực thuộc trực tiếp tổ chức này.",
        message="Mã tổ chức cấp trên phải là số.",
    )
