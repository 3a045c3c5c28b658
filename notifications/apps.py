from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thông báo, nhắc việc"

    def ready(self):
        # Each app keeps its reminder rules beside its models, in its own reminders.py.
        autodiscover_modules("reminders")
        from .models import Notification
        from .services import unread_changed

        def notification_changed(sender, instance, **kwargs):
            unread_changed([instance.recipient_id])

        post_save.connect(notification_changed, sender=Notification, dispatch_uid="counts-notification-saved")
        post_delete.connect(notification_changed, sender=Notification, dispatch_uid="counts-notification-deleted")
