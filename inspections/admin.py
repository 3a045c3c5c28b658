from django.contrib import admin

from quyche.admin import ReadOnlyAdmin

from .models import Finding, FindingEvent, Inspection

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
