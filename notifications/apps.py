from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Thông báo, nhắc việc"

    def ready(self):
        # Each app keeps its reminder rules beside its models, in its own reminders.py.
        autodiscover_modules("reminders")
