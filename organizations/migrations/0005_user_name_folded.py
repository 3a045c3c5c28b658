"""People are found by their folded full name ("nguyen van an"), kept beside the name as organizations' are.

The column has a database default, so that the previous release, still serving while this one migrates, can add
people; a person added then is folded at their next save (or found by login name until then)."""

from django.db import migrations, models

from quyche.text import fold


def fold_names(apps, schema_editor):
    User = apps.get_model("organizations", "User")
    people = list(User.objects.only("pk", "first_name", "last_name"))
    for person in people:
        person.name_folded = fold(f"{person.last_name} {person.first_name}")
    User.objects.bulk_update(people, ["name_folded"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0004_vietnamese_field_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="name_folded",
            field=models.CharField(
                blank=True, db_default="", editable=False, max_length=301, verbose_name="họ tên không dấu"
            ),
        ),
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
