import logging

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


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

        # Whether a person follows what a page shows is kept for them (`services.follow_of`).
        from .models import Follow
        from .services import follows_changed

        def follow_changed(sender, instance, **kwargs):
            follows_changed([instance.user_id])

        post_save.connect(follow_changed, sender=Follow, dispatch_uid="counts-follow-saved")
        post_delete.connect(follow_changed, sender=Follow, dispatch_uid="counts-follow-deleted")

        # An office's notice before a review date decides which regulations are due for review (Việc cần làm, the
        # desk, the header's count), kept with the regulations.
        from quyche import counts

        from .models import ReminderSettings

        def reminder_settings_changed(sender, **kwargs):
            counts.changed("regulations")

        post_save.connect(reminder_settings_changed, sender=ReminderSettings, dispatch_uid="counts-reminders-saved")
        post_delete.connect(reminder_settings_changed, sender=ReminderSettings, dispatch_uid="counts-reminders-deleted")

        from celery.signals import task_failure

        task_failure.connect(record_failed_task, dispatch_uid="record-failed-task")


def record_failed_task(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra):
    """Celery's task_failure, sent in the worker once a task has no retry left."""
    from .services import failed_task_record

    try:
        failed_task_record(
            task_name=getattr(sender, "name", str(sender)),
            task_id=task_id,
            args=args,
            kwargs=kwargs,
            exception=exception,
            traceback=str(einfo.traceback) if einfo is not None else "",
        )
    except Exception:  # the database may be why the task failed: the worker's log still has it
        logger.exception("Could not record the failure of task %s (%s)", sender, task_id)
