from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .conformance import conformance_store, conformance_text_changed
from .models import Correction, ImportJob, Provision, Regulation, SuperiorDocument, Version, VersionStatus


class VersionInline(admin.TabularInline):
    model = Version
    fields = ["number", "issued", "effective", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


def _issued(version) -> bool:
    return version is not None and not version.is_draft


@admin.register(Regulation)
class RegulationAdmin(SimpleHistoryAdmin):
    """Title, organization (who reads it), kind and author may be put right here; each change is kept."""

    list_display = ["title", "kind", "organization", "term", "current_version"]
    list_filter = ["kind"]
    list_select_related = ["organization", "term", "current_version"]
    search_fields = ["title", "title_folded", "organization__name_folded"]
    autocomplete_fields = ["organization", "parties", "term", "based_on"]
    # Who brought the regulation in is a record, not a choice: an imported one has no one.
    readonly_fields = ["created_by"]
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if "based_on" in form.changed_data:
            conformance_store(Regulation.objects.filter(pk=obj.pk))

    def has_delete_permission(self, request, obj=None):
        # Deleting a regulation deletes its versions: an issued one is kept for good.
        if obj is not None and obj.versions.exclude(status=VersionStatus.DRAFT).exists():
            return False
        return super().has_delete_permission(request, obj)


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

    def has_delete_permission(self, request, obj=None):
        if _issued(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Provision)
class ProvisionAdmin(SimpleHistoryAdmin):
    """An issued text never changes in place, the admin's history "revert" included: a correction
    (đính chính) is an act recorded through its page."""

    list_display = ["__str__", "heading", "version"]
    list_filter = ["kind"]
    list_select_related = ["version"]
    search_fields = ["text_folded"]
    readonly_fields = ["version", "parent", "kind", "label", "heading", "text", "position", "depth"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        conformance_text_changed(version=obj.version)  # open content may have been marked on a model's draft

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and _issued(obj.version):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _issued(obj.version):
            return False
        return super().has_delete_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a posted revert form without asking whether the object may change.
        if request.method == "POST":
            provision = get_object_or_404(Provision.objects.select_related("version"), pk=object_id)
            if not self.has_change_permission(request, provision):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are recorded through their page; here they are read."""

    list_display = ["__str__", "reason", "created_by", "created_at"]
    list_select_related = ["version", "created_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SuperiorDocument)
class SuperiorDocumentAdmin(admin.ModelAdmin):
    """The register of superior documents; ending one goes through the service, so citing texts get reviewed."""

    list_display = ["number", "title", "issuer", "issued", "status", "replaced_by"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    readonly_fields = ["status", "replaced_by", "status_changed_on", "created_by", "ended_by"]
    actions = ["mark_repealed"]

    @admin.action(description="Ghi nhận đã bị bãi bỏ (hôm nay)")
    def mark_repealed(self, request, queryset):
        for document in queryset:
            try:
                services.superior_document_end(user=request.user, document=document, on=timezone.localdate())
            except PermissionDenied as error:
                self.message_user(request, str(error), level="error")
                return
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level="warning")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Long texts imported by the worker: which are waiting, running, done or failed, and why. Read here;
    a job stuck because the worker was down ends itself when its page is next opened."""

    list_display = ["__str__", "organization", "user", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["organization", "user"]
    search_fields = ["organization__name_folded", "user__username"]
    fields = ["user", "organization", "regulation", "version", "articles", "status", "message"]
    fields += ["created_at", "started_at", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
