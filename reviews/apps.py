from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Sửa đổi, bổ sung"

    def ready(self):
        # What awaits whom (the header's count) and how many dossiers a person may read (the API's count)
        # follow every saved change of these, from a service or the admin.
        from quyche import counts

        from .models import (
            Amendment,
            AmendmentUserObjectPermission,
            ConsultationRequest,
            Stage,
            WorkingGroupMember,
        )

        def amendments_changed(sender, **kwargs):
            counts.changed("amendments")

        for model in (Amendment, AmendmentUserObjectPermission, ConsultationRequest, Stage, WorkingGroupMember):
            post_save.connect(amendments_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-saved")
            post_delete.connect(amendments_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-deleted")
