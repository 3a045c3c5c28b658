from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.module_loading import autodiscover_modules


class RegulationsConfig(AppConfig):
    name = "regulations"
    verbose_name = "Quy chế"

    def ready(self):
        # The apps above this one say what caused a change of an article in their own history.py.
        autodiscover_modules("history")

        # Figures computed over many regulations (the oversight dashboard) are kept until one of these changes;
        # the services' bulk writes, which send no signal, say so themselves (`regulations_changed`).
        from .models import Provision, Regulation, SuperiorDocument, Version
        from .services import regulations_changed, texts_changed

        def changed(sender, **kwargs):
            regulations_changed()

        for model in (Regulation, Version, SuperiorDocument):
            post_save.connect(changed, sender=model, dispatch_uid=f"counts-{model.__name__}-saved")
            post_delete.connect(changed, sender=model, dispatch_uid=f"counts-{model.__name__}-deleted")
        m2m_changed.connect(changed, sender=Version.cited_documents.through, dispatch_uid="counts-cited-changed")
        m2m_changed.connect(changed, sender=Regulation.parties.through, dispatch_uid="counts-parties-changed")

        # What is kept of the texts themselves (search's hits): a provision saved one by one (the admin), or
        # in bulk by the import and the editor, which say so themselves (`texts_changed`).
        def text_changed(sender, **kwargs):
            texts_changed()

        post_save.connect(text_changed, sender=Provision, dispatch_uid="counts-Provision-saved")
        post_delete.connect(text_changed, sender=Provision, dispatch_uid="counts-Provision-deleted")

        # Whether a person reads texts with line numbers, kept for them (lines.wanted).
        from quyche import counts

        from .models import ReadingPreference

        def reading_changed(sender, instance, **kwargs):
            counts.changed(f"reading:{instance.user_id}")

        post_save.connect(reading_changed, sender=ReadingPreference, dispatch_uid="counts-reading-saved")
        post_delete.connect(reading_changed, sender=ReadingPreference, dispatch_uid="counts-reading-deleted")

        # A regulation is followed by those who may read it: told when it is amended, adopted, issued, repealed.
        from django.urls import reverse

        from notifications import follows

        from .access import can_view_regulation
        from .selectors import get_regulation_for_user

        follows.register(
            kind="quy-che", noun="quy chế", model=Regulation, get_for_user=get_regulation_for_user,
            can_view=can_view_regulation, url=lambda regulation: reverse("regulations:detail", args=[regulation.pk]),
        )  # fmt: skip
