"""The regulation list's filters, read the same way by an organization's page and by the API."""

from django_filters import ChoiceFilter, FilterSet

from quyche.filters import IdFilter

from .models import RegulationKind, VersionStatus


class RegulationFilter(FilterSet):
    kind = ChoiceFilter(label="Loại", choices=RegulationKind.choices, empty_label="Tất cả")
    status = ChoiceFilter(
        label="Trạng thái", field_name="current_version__status", choices=VersionStatus.choices, empty_label="Tất cả"
    )
    organization = IdFilter(
        label="Tổ chức ban hành",
        help_text="Chỉ quy chế của tổ chức này.",
        message="Mã tổ chức phải là số.",
    )
