"""The oversight dashboard's rows through the API, under the same rule as the page."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound

from organizations.access import can_audit, get_organization_for_user
from organizations.models import Organization

from . import selectors
from .filters import OversightFilter


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


class OversightFilterBackend(DjangoFilterBackend):
    """The dashboard's filters over the organization the view has let the user audit, on the view's day.

    The FilterSet builds the rows from these two (the view's `queryset` is the same rows), so that the
    page and the API cannot filter different ones.
    """

    def get_filterset_kwargs(self, request, queryset, view):
        return {
            "data": request.query_params,
            "organization": view.organization,
            "today": view.today,
            "request": request,
        }


class OversightView(generics.ListAPIView):
    """The oversight dashboard's rows for the organizations under one (same filters: kind, status, within)."""

    serializer_class = OversightRowSerializer
    filter_backends = [OversightFilterBackend]
    filterset_class = OversightFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        self.organization = get_organization_for_user(self.request.user, self.kwargs["pk"])
        if not can_audit(self.request.user, self.organization):
            raise NotFound("Không tìm thấy tổ chức.")
        self.today = selectors.today()
        return selectors.annotated(self.organization, self.today)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.decorate(page, self.today) if page is not None else page
