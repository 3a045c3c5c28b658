from django.contrib import admin

from quyche.admin import ReadOnlyAdmin

from .models import (
    Amendment,
    ArticleChange,
    Comment,
    ConsultationRequest,
    Disposition,
    DossierRevision,
    Event,
    Stage,
    WorkingGroupMember,
)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """The amendment process of each kind of organization, as data."""

    list_display = [
        "organization_kind",
        "order",
        "name",
        "kind",
        "body_kind",
        "records_meeting",
        "quorum",
        "general_meeting",
    ]
    list_filter = ["organization_kind", "kind"]
    ordering = ["organization_kind", "order"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "from_stage", "to_stage", "comment"]
    readonly_fields = fields


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "regulation", "stage", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["regulation", "stage"]
    search_fields = ["title", "regulation__title_folded"]
    inlines = [EventInline]


for model, fields in (
    (WorkingGroupMember, ["amendment", "user", "role", "affiliation", "added_by", "removed_at", "removed_by"]),
    (DossierRevision, ["amendment", "field", "edited_by", "edited_at"]),
    (ArticleChange, ["amendment", "article_label", "kind", "reason", "author", "at"]),
    (ConsultationRequest, ["amendment", "recipient_name", "due", "answered_at", "no_comment"]),
    (Comment, ["amendment", "author", "article_label", "created_at"]),
    (Disposition, ["comment", "kind", "decided_by", "decided_at"]),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": fields}))
