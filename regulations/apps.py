from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RegulationsConfig(AppConfig):
    name = "regulations"
    verbose_name = "Quy chế"

    def ready(self):
        # The apps above this one say what caused a change of an article in their own history.py.
        autodiscover_modules("history")
