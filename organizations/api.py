"""Read-only API of the hierarchy, under the same access rules as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from quyche.api import KeptListMixin

from . import selectors
from .access import get_organization_for_user, visible_organizations
from .filters import OrganizationFilter
from .models import Body, Organization, Term


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "kind", "name"]


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "name", "start", "end"]


class OrganizationListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "code", "symbol", "parent", "depth", "numchild"]


class OrganizationDetailSerializer(OrganizationListSerializer):
    bodies = BodySerializer(many=True, read_only=True)
    current_term = serializers.SerializerMethodField()
    descendant_counts = serializers.SerializerMethodField()

    class Meta(OrganizationListSerializer.Meta):
        fields = OrganizationListSerializer.Meta.fields + ["bodies", "current_term", "descendant_counts"]

    @extend_schema_field(TermSerializer(allow_null=True))
    def get_current_term(self, organization):
        term = organization.terms.current().first()
        return TermSerializer(term).data if term else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_descendant_counts(self, organization):
        return dict(selectors.kept_descendant_counts([organization])[organization.pk])


class OrganizationViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = OrganizationFilter
    # The total of a list kept per person and filters (quyche.api.Pagination) until the tree, a seat or a grant
    # changes: counting the ten thousand organizations a city's auditor reads cost more than the page. The page
    # of rows too, per person and URL (quyche.api.KeptListMixin): each row is the organization's place in the tree.
    count_depends_on = list_depends_on = ("organizations", "positions")

    def get_queryset(self):
        return visible_organizations(self.request.user)

    def get_serializer_class(self):
        return OrganizationDetailSerializer if self.action == "retrieve" else OrganizationListSerializer

    def get_object(self):
        organization = get_organization_for_user(self.request.user, self.kwargs["pk"])
        return Organization.objects.prefetch_related("bodies").get(pk=organization.pk)
