"""Events record the amendment's status as well as its stage; existing events get theirs from
their action and their place in the amendment's history."""

from itertools import groupby

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Actions that end the process, whatever came before them.
CLOSING = {
    "issue": ("adopted", "issued"),
    "reject": ("in_progress", "rejected"),
    "withdraw": ("in_progress", "withdrawn"),
}


def changes_of(actions: list[str], status: str) -> list[tuple[str, str]]:
    """(from_status, to_status) of each of one amendment's events, given in order, and its status now."""
    changes = [CLOSING.get(action, ("in_progress", "in_progress")) for action in actions]
    changes[0] = ("", "in_progress")  # the create
    if status in ("adopted", "issued"):
        # Nothing but the issue comes after the approval that adopted it.
        adopting = max((i for i, a in enumerate(actions) if i and a in ("approve", "submit")), default=None)
        if adopting is not None:
            changes[adopting] = ("in_progress", "adopted")
    return changes


def backfill(apps, schema_editor):
    Amendment = apps.get_model("reviews", "Amendment")
    Event = apps.get_model("reviews", "Event")
    statuses = dict(Amendment.objects.values_list("pk", "status"))
    events = Event.objects.order_by("amendment_id", "at", "pk").values_list("amendment_id", "pk", "action")
    by_change = {}
    for amendment_id, rows in groupby(events, key=lambda row: row[0]):
        rows = list(rows)
        changes = changes_of([action for _, _, action in rows], statuses[amendment_id])
        for (_, pk, _), change in zip(rows, changes, strict=True):
            by_change.setdefault(change, []).append(pk)
    # A few distinct changes, so a few updates, in batches that stay under SQLite's parameter limit.
    for (from_status, to_status), pks in by_change.items():
        for start in range(0, len(pks), 500):
            Event.objects.filter(pk__in=pks[start : start + 500]).update(from_status=from_status, to_status=to_status)


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0006_move_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='event',
            options={'ordering': ['at', 'pk'], 'verbose_name': 'sự kiện', 'verbose_name_plural': 'diễn biến'},
        ),
        migrations.AddField(
            model_name='event',
            name='from_status',
            field=models.CharField(blank=True, choices=[('in_progress', 'Đang thực hiện'), ('adopted', 'Đã thông qua, chờ ban hành'), ('issued', 'Đã ban hành'), ('rejected', 'Không thông qua'), ('withdrawn', 'Đã dừng')], max_length=16, verbose_name='từ trạng thái'),
        ),
        migrations.AddField(
            model_name='event',
            name='to_status',
            field=models.CharField(choices=[('in_progress', 'Đang thực hiện'), ('adopted', 'Đã thông qua, chờ ban hành'), ('issued', 'Đã ban hành'), ('rejected', 'Không thông qua'), ('withdrawn', 'Đã dừng')], default='', max_length=16, verbose_name='sang trạng thái'),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='event',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='event',
            name='at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='thời gian'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
