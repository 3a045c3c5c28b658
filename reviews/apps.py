from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Sửa đổi, bổ sung"

    def ready(self):
        # What awaits whom (the header's count), how many dossiers a person may read (the API's count) and the list's
        # rows (whom each waits for since its last event) follow every saved change of these, from a service or the
        # admin.
        from quyche import counts

        from .models import (
            Amendment,
            AmendmentUserObjectPermission,
            ConsultationRequest,
            Event,
            Stage,
            WorkingGroupMember,
        )

        def amendments_changed(sender, **kwargs):
            counts.changed("amendments")

        for model in (Amendment, AmendmentUserObjectPermission, ConsultationRequest, Event, Stage, WorkingGroupMember):
            post_save.connect(amendments_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-saved")
            post_delete.connect(amendments_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-deleted")

        # An amendment is followed by those who may read it (its creator and working group by default): told of
        # each step it takes.
        from django.urls import reverse

        from notifications import follows

        from .access import can_view_amendment
        from .selectors import get_amendment_for_user

        follows.register(
            kind="ho-so", noun="hồ sơ sửa đổi", model=Amendment, get_for_user=get_amendment_for_user,
            can_view=can_view_amendment, url=lambda amendment: reverse("reviews:detail", args=[amendment.pk]),
        )  # fmt: skip
