from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = "Tổ chức đảng"

    def ready(self):
        # Who holds which seat decides what they may read (access.seats, kept for the day) and what awaits them
        # (the header's count): any saved change counts afresh, as does a right granted on an organization, to a
        # person or their group. An organization added, removed or changed also changes the counts of the
        # organizations above it (selectors.kept_descendant_counts).
        from quyche import counts

        from .models import (
            Body,
            Organization,
            OrganizationGroupObjectPermission,
            OrganizationUserObjectPermission,
            Position,
            Term,
            User,
        )

        def positions_changed(sender, **kwargs):
            counts.changed("positions", *(["organizations"] if sender is Organization else []))

        grants = (OrganizationUserObjectPermission, OrganizationGroupObjectPermission)
        for model in (Body, Organization, Position, Term, *grants):
            post_save.connect(positions_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-saved")
            post_delete.connect(positions_changed, sender=model, dispatch_uid=f"counts-{model.__name__}-deleted")

        m2m_changed.connect(positions_changed, sender=User.groups.through, dispatch_uid="counts-User-groups")

        # The names the organization pages list (selectors.organization_page); a login only stamps its time.
        def person_changed(sender, update_fields=None, **kwargs):
            if update_fields is None or set(update_fields) - {"last_login"}:
                counts.changed("people")

        post_save.connect(person_changed, sender=User, dispatch_uid="counts-User-saved")
        post_delete.connect(person_changed, sender=User, dispatch_uid="counts-User-deleted")
