"""A number is unique per issuing organization and year (it was per issuer, regulation kind and term):
two regulations of different kinds, both "QC", share one series, and the series restarts each year."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def fill_in_years(apps, schema_editor):
    Version = apps.get_model("regulations", "Version")
    for day in Version.objects.filter(issued__isnull=False).dates("issued", "year"):
        Version.objects.filter(issued__year=day.year).update(issued_year=day.year)
    duplicates = (
        Version.objects.exclude(number="")
        .filter(issued_year__isnull=False)
        .values("issuing_organization", "issuing_organization__name", "issued_year", "number")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
    )
    if duplicates:
        listed = "; ".join(f"{d['number']} ({d['issuing_organization__name']}, {d['issued_year']})" for d in duplicates)
        raise RuntimeError(f"These numbers were given twice in one year; correct them before migrating: {listed}")


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0002_user_email_mode'),
        ('regulations', '0008_who_repealed_and_kept_the_register'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='version',
            name='unique_number_per_issuer_kind_term',
        ),
        migrations.AddField(
            model_name='version',
            name='issued_year',
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_in_years, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='version',
            constraint=models.UniqueConstraint(condition=models.Q(('number', ''), _negated=True), fields=('issuing_organization', 'issued_year', 'number'), name='unique_number_per_issuer_and_year'),
        ),
    ]
