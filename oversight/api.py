"""The oversight dashboard's rows through the API, under the same rule as the page."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound

from organizations.access import can_audit, get_organization_for_user
from organizations.models import Organization

from . import selectors


class OversightRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id")
    current_rules = serializers.BooleanField()
    rules_regulation = serializers.IntegerField(source="rules_id", allow_null=True)
    rules_number = serializers.CharField(allow_null=True)
    rules_issued = serializers.DateField(allow_null=True)
    inspection_rules = serializers.BooleanField()
    last_amended = serializers.DateTimeField(allow_null=True)
    next_review_on = serializers.DateField(allow_null=True)
    days_overdue = serializers.IntegerField()
    open_amendment = serializers.IntegerField(source="open_amendment_id", allow_null=True)
    open_stage = serializers.CharField(allow_null=True)
    answers_waiting = serializers.IntegerField()
    conformance = serializers.IntegerField(allow_null=True)
    findings_open = serializers.IntegerField()
    findings_overdue = serializers.IntegerField()
    review_basis = serializers.BooleanField()


class OversightView(generics.ListAPIView):
    """The oversight dashboard's rows for the organizations under one (same filters: kind, status, within)."""

    serializer_class = OversightRowSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, description="Loại tổ chức."),
            OpenApiParameter("status", str, enum=list(selectors.STATUS_FILTERS)),
            OpenApiParameter("within", int, description="Chỉ các tổ chức thuộc tổ chức trực thuộc này."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        organization = get_organization_for_user(self.request.user, self.kwargs["pk"])
        if not can_audit(self.request.user, organization):
            raise NotFound("Không tìm thấy tổ chức.")
        today = selectors.today()
        params = self.request.query_params
        within = selectors.resolve_within(organization, params.get("within"))
        rows = selectors.annotated(organization, today)
        return selectors.filtered(
            rows, today=today, kind=params.get("kind", ""), status=params.get("status", ""), within=within
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.decorate(page, selectors.today()) if page is not None else page
