from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quyche.admin import ReadOnlyAdmin

from .models import EmailPreferenceChange, FailedTask, Notification, ReminderSettings


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "reason", "title", "created_at", "read_at", "email_status", "email_attempts"]
    list_filter = ["reason", "email_status"]


@admin.register(EmailPreferenceChange)
class EmailPreferenceChangeAdmin(ReadOnlyAdmin):
    list_display = ["user", "previous_email_mode", "email_mode", "previous_email", "email", "changed_at"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "review_notice_days", "review_escalation_days", "term_rules_days"]
    autocomplete_fields = ["organization"]


@admin.register(FailedTask)
class FailedTaskAdmin(ReadOnlyAdmin):
    list_display = ["failed_at", "task_name", "exception", "arguments"]
    list_filter = ["task_name"]
    search_fields = ["task_name", "task_id", "exception"]
