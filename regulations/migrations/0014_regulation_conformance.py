from django.db import migrations, models


def store_figures(apps, schema_editor):
    """The figure of every regulation already based on a model, as the services keep it from now on.

    The figures come from the application's own comparison (regulations/conformance.py), which reads
    the texts through the current models: that is only right for a database at this migration when
    those models have not changed since, so a database that has no adapted regulation is left alone.
    """
    Regulation = apps.get_model("regulations", "Regulation")
    if not Regulation.objects.filter(based_on__isnull=False).exists():
        return
    from regulations import conformance, models as current

    conformance.conformance_store(current.Regulation.objects.filter(based_on__isnull=False))


class Migration(migrations.Migration):
    dependencies = [
        ("regulations", "0013_import_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="regulation",
            name="conformance",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="mức phù hợp quy chế mẫu (%)"
            ),
        ),
        migrations.RunPython(store_figures, migrations.RunPython.noop),
    ]
