"""The amendment list's filters."""

from django_filters import FilterSet

from quyche.filters import IdFilter


class AmendmentFilter(FilterSet):
    regulation = IdFilter(
        label="Quy chế",
        help_text="Chỉ hồ sơ sửa đổi quy chế này.",
        message="Mã quy chế phải là số.",
    )
    stage = IdFilter(
        label="Bước",
        help_text="Chỉ hồ sơ đang ở bước quy trình này.",
        message="Mã bước phải là số.",
    )
