"""The texts issued before the register of numbers existed are recorded in it at their own numbers, and each
series' counter starts after the highest, so the register never gives one of them again.

Idempotent (a number already recorded is left as it is) and in batches. A number not written as
"25-QC/TU" cannot be placed in a series: such texts are listed here and on the register's page, not failed.
"""

import re
import unicodedata

from django.db import migrations
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

NUMBER = re.compile(r"^0*(\d{1,6})-([^\s/-]+)/(\S+)$")
BATCH = 500


def record_numbers(apps, schema_editor):
    Version = apps.get_model("regulations", "Version")
    NumberSeries = apps.get_model("regulations", "NumberSeries")
    RegisteredNumber = apps.get_model("regulations", "RegisteredNumber")
    now = timezone.now()
    issued = (
        Version.objects.exclude(status="draft")
        .exclude(number="")
        .filter(issued__isnull=False)
        .filter(~Exists(RegisteredNumber.objects.filter(version=OuterRef("pk"))))
        .select_related("regulation")
        .only("pk", "number", "issued", "issuing_organization_id", "signer_name", "regulation__title")
        .order_by("pk")
    )
    batch = []
    for version in issued.iterator(chunk_size=BATCH):
        match = NUMBER.match(unicodedata.normalize("NFC", version.number).strip())
        if match is None or int(match.group(1)) == 0:
            continue
        batch.append(
            RegisteredNumber(
                organization_id=version.issuing_organization_id,
                year=version.issued.year,
                code=match.group(2),
                sequence=int(match.group(1)),
                number=version.number,
                status="confirmed",
                title=version.regulation.title,
                version_id=version.pk,
                issued=version.issued,
                signer=version.signer_name,
                recorded=True,
                confirmed_at=now,
            )  # fmt: skip
        )
        if len(batch) >= BATCH:
            RegisteredNumber.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    RegisteredNumber.objects.bulk_create(batch, ignore_conflicts=True)
    highest = RegisteredNumber.objects.values("organization_id", "year", "code").annotate(top=Max("sequence"))
    for row in highest.iterator(chunk_size=BATCH):
        series, _ = NumberSeries.objects.get_or_create(
            organization_id=row["organization_id"], year=row["year"], code=row["code"]
        )
        if series.last < row["top"]:
            series.last = row["top"]
            series.save(update_fields=["last"])
    left = issued.filter(~Exists(RegisteredNumber.objects.filter(version=OuterRef("pk"))))
    listed = [f"{v.number} ({v.issued:%d/%m/%Y}, pk {v.pk})" for v in left[:200]]
    if listed:
        print(
            f"\n  Numbers not recorded in the register (not written as 25-QC/TU, or given twice): {'; '.join(listed)}"
        )


class Migration(migrations.Migration):
    dependencies = [("regulations", "0018_register_of_numbers")]

    operations = [migrations.RunPython(record_numbers, migrations.RunPython.noop, elidable=False)]
