"""Indexes for search at a province's scale (600,000 provisions): the words of its texts.

On PostgreSQL, trigram indexes (pg_trgm, `gin_trgm_ops`) on the folded texts, which answer
`LIKE '%word%'` (search's `contains`) for words of three letters or more, and `LIKE '% ve%'` for a
shorter one at the start of a word, without reading every row; SQLite has no such index and scans, as
before. They are built concurrently, so that the provisions stay writable while the index builds.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("regulations_provision_text_folded_trgm", "regulations_provision", "text_folded"),
    ("regulations_regulation_title_folded_trgm", "regulations_regulation", "title_folded"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f'CREATE INDEX CONCURRENTLY IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("regulations", "0014_regulation_conformance")]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
