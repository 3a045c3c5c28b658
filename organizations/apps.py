from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức đảng"

    def ready(self):
        # Who holds which seat decides what they may read (access.seats, kept for the day) and what awaits them
        # (the header's count): any saved change counts afresh.
        from quyche import counts

        from .models import Body, Organization, Position, Term

        def positions_changed(sender, **kwargs):
            counts.changed("positions")

        for model in (Body, Organization, Position, Term):
            post_save.connect(positions_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-saved")
            post_delete.connect(positions_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-deleted")
