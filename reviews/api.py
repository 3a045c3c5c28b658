"""Read-only API of amendments, under the pages' access rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from quyche.api import KeptListMixin
from regulations.models import Provision
from regulations.selectors import build_tree

from . import selectors
from .filters import AmendmentFilter
from .models import Amendment, Comment, ConsultationRequest, Disposition, Event
from .passages import passages_of
from .services import DOSSIER_FIELDS


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    # None on the events that do not move the amendment between stages (its creation, a withdrawal).
    from_stage = serializers.StringRelatedField(allow_null=True)
    to_stage = serializers.StringRelatedField(allow_null=True)
    status_change = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "action", "actor", "from_stage", "to_stage", "from_status", "to_status", "status_change", "comment", "at",
            "meeting_date", "members_present", "members_total", "votes_for", "votes_against", "votes_abstain",
        ]  # fmt: skip

    def get_status_change(self, event) -> str | None:
        """The new status in words ("Đã ban hành"), when the event changed it."""
        return event.get_to_status_display() if event.changes_status else None


class RequestSerializer(serializers.ModelSerializer):
    recipient = serializers.CharField(source="recipient_name")

    class Meta:
        model = ConsultationRequest
        fields = ["id", "recipient", "user", "organization", "due", "answered_at", "no_comment"]


class DispositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disposition
        fields = ["kind", "explanation", "change", "decided_at"]


class CommentSerializer(serializers.ModelSerializer):
    """An opinion; a suggestion (đề nghị sửa câu chữ) also gives its wording and whether its passage has changed."""

    author = serializers.StringRelatedField()
    on_behalf_of = serializers.SerializerMethodField()
    disposition = DispositionSerializer(read_only=True, allow_null=True)  # None until the working group decides
    passage_changed = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "parent", "author", "on_behalf_of", "article_key", "article_label", "provision_key",
            "provision_label", "text", "suggestion", "proposed_text", "base_text", "passage_changed", "created_at",
            "disposition",
        ]  # fmt: skip

    def get_on_behalf_of(self, comment) -> str | None:
        """The organization whose answer the opinion belongs to; None: the author's own."""
        request = comment.request
        return request.organization.name if request and request.organization_id else None

    def get_passage_changed(self, comment) -> bool | None:
        """Whether the passage reads otherwise now than when it was suggested (or is gone); None: not a suggestion."""
        if not comment.suggestion:
            return None
        passage = self._passages(comment).get(comment.provision_key or comment.article_key)
        return passage is None or passage.text != comment.base_text

    def _passages(self, comment) -> dict:
        # The draft's passages, read once for all the comments of the amendment.
        kept = self.context.setdefault("draft_passages", {})
        if comment.amendment_id not in kept:
            draft = Provision.objects.filter(version=comment.amendment.draft_id).for_rendering()
            kept[comment.amendment_id] = passages_of(build_tree(draft))
        return kept[comment.amendment_id]


class WaitingSerializer(serializers.Serializer):
    """Đang chờ: who must act on the dossier now, since its last event, by which date."""

    on = serializers.ChoiceField(
        choices=["asked", "working_group", "body", "issuer"],
        help_text="asked: những nơi được lấy ý kiến chưa trả lời; working_group: tổ công tác; body: cơ quan thực hiện "
        "bước (Thường trực, Ban Thường vụ, Ban Chấp hành...); issuer: văn phòng vào số, ban hành.",
    )
    body = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)
    due = serializers.DateField(allow_null=True, help_text="Hạn trả lời lấy ý kiến; các bước khác không có hạn.")
    not_answered_count = serializers.IntegerField()


class WaitingDetailSerializer(WaitingSerializer):
    people = serializers.ListField(
        child=serializers.CharField(), help_text="Những người, nơi phải xử lý: theo tên, mỗi người một lần."
    )


class AmendmentSerializer(serializers.ModelSerializer):
    stage = serializers.StringRelatedField()
    waiting_for = serializers.SerializerMethodField()

    class Meta:
        model = Amendment
        fields = [
            "id",
            "regulation",
            "base_version",
            "draft",
            "title",
            "stage",
            "status",
            "stage_entered_at",
            "created_at",
            "waiting_for",
        ]

    @extend_schema_field(WaitingSerializer(allow_null=True))
    def get_waiting_for(self, amendment) -> dict | None:
        """None once the dossier has ended (issued, not adopted, stopped)."""
        waiting = selectors.waiting_of(amendment)
        return WaitingSerializer(waiting).data if waiting else None


class AmendmentDetailSerializer(AmendmentSerializer):
    dossier = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    requests = RequestSerializer(many=True, read_only=True)
    comments = CommentSerializer(many=True, read_only=True)

    class Meta(AmendmentSerializer.Meta):
        fields = AmendmentSerializer.Meta.fields + ["dossier", "events", "requests", "comments"]

    def get_dossier(self, amendment) -> dict[str, str]:
        return {name: getattr(amendment, name) for name in DOSSIER_FIELDS}

    @extend_schema_field(WaitingDetailSerializer(allow_null=True))
    def get_waiting_for(self, amendment) -> dict | None:
        waiting = selectors.waiting_for(amendment)
        return WaitingDetailSerializer(waiting).data if waiting else None


class AmendmentViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = AmendmentFilter
    count_depends_on = ("amendments", "positions", "regulations")
    list_depends_on = selectors.LIST_DEPENDS_ON  # as the site's list

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Amendment.objects.none()
        # The list's rows leave the dossier's long texts in the database; a detail has its own query.
        fields = [name for name in AmendmentSerializer.Meta.fields if name not in ("stage", "waiting_for")]
        return selectors.with_waiting(
            selectors.visible_amendments(self.request.user)
            .select_related("stage")
            .only(*fields, "stage__order", "stage__name")
            .order_by("pk")
        )

    def get_serializer_class(self):
        return AmendmentDetailSerializer if self.action == "retrieve" else AmendmentSerializer

    def get_object(self):
        amendment = selectors.get_amendment_for_user(self.request.user, self.kwargs["pk"])
        return (
            Amendment.objects.select_related("stage", "regulation__organization")
            .prefetch_related(
                "events__actor",
                "events__from_stage",
                "events__to_stage",
                "requests__user",
                "requests__organization",
                "comments__author",
                "comments__request__organization",
                "comments__disposition",
            )  # fmt: skip
            .get(pk=amendment.pk)
        )
