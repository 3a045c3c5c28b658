"""Read-only API of regulations, versions, comparisons and search, under the pages' access rules."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from quyche.forms import SearchForm

from . import diffing, search, selectors
from .filters import RegulationFilter
from .models import Regulation, Version


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Version
        fields = ["id", "number", "issued", "effective", "status"]


class RegulationSerializer(serializers.ModelSerializer):
    current_version = VersionSummarySerializer(read_only=True)

    class Meta:
        model = Regulation
        fields = [
            "id",
            "organization",
            "kind",
            "title",
            "term",
            "based_on",
            "review_interval_months",
            "current_version",
        ]


class RegulationDetailSerializer(RegulationSerializer):
    versions = serializers.SerializerMethodField()
    parties = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(RegulationSerializer.Meta):
        fields = RegulationSerializer.Meta.fields + ["parties", "versions"]

    @extend_schema_field(VersionSummarySerializer(many=True))
    def get_versions(self, regulation):
        return VersionSummarySerializer(selectors.versions_of(regulation), many=True).data


class ProvisionSerializer(serializers.Serializer):
    """One provision of a version's tree (the schema of `provision_data`), with the provisions under it."""

    id = serializers.IntegerField()
    key = serializers.UUIDField()
    kind = serializers.CharField()
    label = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()


ProvisionSerializer._declared_fields["children"] = ProvisionSerializer(many=True)  # a tree: the class names itself


def provision_data(node) -> dict:
    return {
        "id": node.pk,
        "key": str(node.key),
        "kind": node.kind,
        "label": node.label,
        "heading": node.heading,
        "text": node.text,
        "children": [provision_data(child) for child in node.nodes],
    }


class VersionSerializer(serializers.ModelSerializer):
    provisions = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = [
            "id", "regulation", "status", "number", "issued", "effective", "superior_body", "issuing_body",
            "place", "kind_line", "title", "legal_bases", "enacting", "signer_authority", "signer_position",
            "signer_name", "recipients", "replaces", "replaced_by", "repealed_by_number", "repealed_on",
            "repealed_by_body", "provisions",
        ]  # fmt: skip

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_replaced_by(self, version):
        replaced_by = getattr(version, "replaced_by", None)
        return replaced_by.pk if replaced_by else None

    @extend_schema_field(ProvisionSerializer(many=True))
    def get_provisions(self, version):
        return [provision_data(node) for node in selectors.provision_tree(version).roots]


class RegulationViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = RegulationFilter

    def get_queryset(self):
        return selectors.visible_regulations(self.request.user).for_list().order_by("pk")

    def get_serializer_class(self):
        return RegulationDetailSerializer if self.action == "retrieve" else RegulationSerializer

    def get_object(self):
        return selectors.get_regulation_for_user(self.request.user, self.kwargs["pk"])


class VersionViewSet(viewsets.GenericViewSet):
    serializer_class = VersionSerializer

    def get_queryset(self):
        return Version.objects.none()

    def retrieve(self, request, pk=None):
        version = selectors.get_version_for_user(request.user, pk, neighbours=True)
        return Response(VersionSerializer(version).data)


CHANGES = inline_serializer(
    "Change",
    many=True,
    fields={
        "change": serializers.ChoiceField(diffing.ChangeKind.values),
        "old_label": serializers.CharField(allow_null=True),
        "new_label": serializers.CharField(allow_null=True),
        "old_heading": serializers.CharField(allow_null=True),
        "new_heading": serializers.CharField(allow_null=True),
        "diff": serializers.ListField(child=serializers.ListField(child=serializers.CharField())),
    },
)


@extend_schema(responses=CHANGES)
@api_view(["GET"])
def version_compare(request, pk, other_pk):
    old, new = selectors.get_versions_for_user(request.user, pk, other_pk)
    if old.regulation_id != new.regulation_id:
        raise Http404("Hai văn bản không thuộc cùng một quy chế.")

    def rows() -> list[dict]:
        return [
            {
                "change": change.change.value,
                "old_label": change.old_label,
                "new_label": change.new_label,
                "old_heading": change.old.heading if change.old else None,
                "new_heading": change.new.heading if change.new else None,
                "diff": [list(op) for op in change.ops],
            }
            for change in selectors.compare_versions(old, new)
            if change.change != diffing.ChangeKind.UNCHANGED
        ]

    return Response(selectors.comparison_kept(old, new, "api", rows))


HITS = inline_serializer(
    "SearchHit",
    many=True,
    fields={
        "regulation": serializers.IntegerField(),
        "regulation_title": serializers.CharField(),
        "version": serializers.IntegerField(allow_null=True),
        "version_number": serializers.CharField(),
        "version_status": serializers.CharField(),
        "place": serializers.CharField(),
        "snippet": serializers.CharField(),
        "url": serializers.CharField(),
    },
)


@extend_schema(parameters=[OpenApiParameter("q", str, required=True)], responses=HITS)
@api_view(["GET"])
def search_view(request):
    form = SearchForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    query = form.cleaned_data["q"]
    if not query:
        raise ValidationError({"q": "Cần nhập từ khóa tìm kiếm."})
    return Response(
        [
            {
                "regulation": hit.regulation.pk,
                "regulation_title": hit.regulation.title,
                "version": hit.version_id,
                "version_number": hit.version_number,
                "version_status": hit.version_status,
                "place": hit.place,
                "snippet": hit.snippet,
                "url": hit.url,
            }
            for hit in search.search(request.user, query)
        ]
    )
