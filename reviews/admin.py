from django.contrib import admin

from .models import (
    Amendment,
    ArticleChange,
    Comment,
    ConsultationRequest,
    Disposition,
    Event,
    Finding,
    FindingEvent,
    Inspection,
    Notification,
    ReminderSettings,
    Stage,
    WorkingGroupMember,
)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """The amendment process of each kind of organization, as data."""

    list_display = ["organization_kind", "order", "name", "kind", "body_kind", "records_meeting"]
    list_filter = ["organization_kind", "kind"]
    ordering = ["organization_kind", "order"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record of an amendment is written by the process; the admin reads it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_stage", "to_stage", "comment"]
    readonly_fields = fields


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "regulation", "stage", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["regulation", "stage"]
    search_fields = ["title", "regulation__title_folded"]
    inlines = [EventInline]


for model, fields in (
    (WorkingGroupMember, ["amendment", "user", "role", "affiliation"]),
    (ArticleChange, ["amendment", "article_label", "kind", "reason", "author", "at"]),
    (ConsultationRequest, ["amendment", "recipient_name", "due", "answered_at", "no_comment"]),
    (Comment, ["amendment", "author", "article_label", "created_at"]),
    (Disposition, ["comment", "kind", "decided_by", "decided_at"]),
    (Notification, ["recipient", "reason", "title", "created_at", "read_at", "email_status", "email_attempts"]),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": fields}))


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["organization", "review_notice_days", "review_escalation_days", "term_rules_days"]
    autocomplete_fields = ["organization"]


# Inspections: recorded and followed up through the pages; the admin reads them.


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    can_delete = False
    fields = ["kind", "description", "deadline", "status", "article_label"]
    readonly_fields = fields


class FindingEventInline(admin.TabularInline):
    model = FindingEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "from_status", "to_status", "comment", "deadline"]
    readonly_fields = fields


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["inspected", "inspecting", "kind", "date"]
    list_filter = ["kind"]
    list_select_related = ["inspected", "inspecting"]
    search_fields = ["inspected__name_folded", "inspecting__name_folded"]
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "inspection", "deadline", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["inspection__inspected"]
    inlines = [FindingEventInline]
