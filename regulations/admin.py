from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Provision, Regulation, Version


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "issued", "effective", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Regulation)
class RegulationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "organization", "term", "current_version"]
    list_filter = ["kind"]
    list_select_related = ["organization", "term", "current_version"]
    search_fields = ["title", "title_folded", "organization__name_folded"]
    autocomplete_fields = ["organization", "parties", "term", "based_on"]
    inlines = [VersionInline]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Issued texts are immutable: the admin reads them; imports and repeals go through the pages."""

    list_display = ["__str__", "regulation", "status", "issued", "effective"]
    list_filter = ["status", "kind"]
    list_select_related = ["regulation"]
    search_fields = ["number", "regulation__title_folded"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Provision)
class ProvisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "heading", "version"]
    list_filter = ["kind"]
    list_select_related = ["version"]
    search_fields = ["text_folded"]
    readonly_fields = ["version", "parent", "kind", "label", "heading", "text", "position", "depth"]

    def has_add_permission(self, request):
        return False
