from django.contrib import admin

from quyche.admin import ReadOnlyAdmin

from .models import Notification, ReminderSettings


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "reason", "title", "created_at", "read_at", "email_status", "email_attempts"]
    list_filter = ["reason", "email_status"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["organization", "review_notice_days", "review_escalation_days", "term_rules_days"]
    autocomplete_fields = ["organization"]
