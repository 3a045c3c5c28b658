from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record written by the process (an amendment, an inspection, a notification): the admin reads it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
