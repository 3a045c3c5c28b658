"""Helpers for migrations that move models between apps over the same tables."""


def content_types_mover(*, old_app: str, new_app: str, models: list[str]):
    """A RunPython function: permissions and admin history follow the models to their new app."""

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in models:
            if not ContentType.objects.filter(app_label=new_app, model=model).exists():
                ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)

    return move
