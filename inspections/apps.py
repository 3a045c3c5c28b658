from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Kiểm tra, giám sát"

    def ready(self):
        # Figures computed over many organizations (the oversight dashboard) count findings afresh after any change.
        from quyche import counts

        from .models import Finding, Inspection

        def inspections_changed(sender, **kwargs):
            counts.changed("inspections")

        for model in (Inspection, Finding):
            post_save.connect(inspections_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-saved")
            post_delete.connect(inspections_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-deleted")
