"""Install the default amendment process (reviews/stages.py) for each kind of organization."""

from django.db import migrations

from reviews.stages import install_default_stages


def create(apps, schema_editor):
    install_default_stages(apps.get_model("reviews", "Stage"))


def remove(apps, schema_editor):
    apps.get_model("reviews", "Stage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
