import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from regulations.models import Version
from regulations.selectors import next_number
from tests.regulations import texts

BEFORE = [("regulations", "0008_who_repealed_and_kept_the_register")]
AFTER = [("regulations", "0009_version_number_unique_per_year")]


@pytest.mark.django_db(transaction=True)
def test_it_gives_the_texts_issued_before_it_their_year(cast, import_text):
    first = import_text(text_numbered("01-QC/ĐUK", (15, 9, 2025)))
    second = import_text(text_numbered("02-QC/ĐUK", (20, 3, 2026)), regulation=first.regulation)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    years = dict(Version.objects.values_list("pk", "issued_year"))
    assert (years[first.pk], years[second.pk]) == (2025, 2026)
    assert next_number(organization=cast.a, kind=first.kind, year=2026) == "03-QC/ĐUK"
    assert next_number(organization=cast.a, kind=first.kind, year=2027) == "01-QC/ĐUK"


def text_numbered(number, date):
    return texts.regulation_text([texts.ARTICLES["scope"]], number=number, date=date)


def test_the_year_follows_the_issue_date(cast, import_text):
    version = import_text(text_numbered("01-QC/ĐUK", (15, 9, 2025)))
    version.issued = datetime.date(2026, 1, 2)
    version.save(update_fields=["issued"])
    assert Version.objects.get(pk=version.pk).issued_year == 2026
