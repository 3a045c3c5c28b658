"""The rule of rolling upgrades (README, "Backups and upgrades"): while the next release migrates, the previous one
keeps serving over the same database, so a migration only adds. Checked on every migration written after the
rule: none removes or renames a column, a table or a model, and none adds a NOT NULL column without a database
default (the previous release's inserts would fail), unless it declares `contracts = True` (a later release,
once no running code reads what it removes)."""

from pathlib import Path

from django.apps import apps
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.models.fields import NOT_PROVIDED

ROOT = Path(__file__).resolve().parent.parent

# The last migration of each app when the rule was written down; those up to it have long been applied everywhere.
RULE_SINCE = {"organizations": 3, "notifications": 4, "regulations": 15, "inspections": 2, "reviews": 10}

CONTRACTING = (
    migrations.RemoveField,
    migrations.RenameField,
    migrations.RenameModel,
    migrations.DeleteModel,
    migrations.AlterModelTable,
)


def is_added(app_label: str, name: str) -> bool:
    return int(name.split("_", 1)[0]) > RULE_SINCE.get(app_label, 0)


def database_operations(operations):
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from database_operations(operation.database_operations)  # its state_operations touch no table
        else:
            yield operation


def breaks_previous_release(migration) -> list[str]:
    """What in this migration the previous release, still running, would trip over."""
    if getattr(migration, "contracts", False):
        return []
    where = f"{migration.app_label}.{migration.name}"
    problems = []
    for operation in database_operations(migration.operations):
        if isinstance(operation, CONTRACTING):
            problems.append(f"{where}: {operation.describe()} (the previous release still reads it)")
        elif isinstance(operation, migrations.AddField):
            field = operation.field
            if not field.null and not field.many_to_many and field.db_default is NOT_PROVIDED:
                problems.append(
                    f"{where}: {operation.describe()} is NOT NULL without db_default "
                    "(the previous release's inserts leave it out)"
                )
    return problems


def added_migrations():
    ours = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and "site-packages" not in Path(config.path).parts  # not .venv's
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        migration
        for (app_label, name), migration in sorted(loader.disk_migrations.items())
        if app_label in ours and is_added(app_label, name)
    ]


def test_no_migration_added_since_the_rule_breaks_the_release_before_it():
    problems = [problem for migration in added_migrations() for problem in breaks_previous_release(migration)]
    assert problems == [], "\n".join(problems) + "\nSee README, 'Backups and upgrades'."


def test_the_migrations_it_checks_are_those_after_the_rule():
    assert not is_added("regulations", "0015_search_indexes")
    assert is_added("regulations", "0016_anything") and is_added("oversight", "0001_initial")
    assert all(is_added(m.app_label, m.name) for m in added_migrations())


def migration(*operations, contracts=False):
    made = type("Migration", (migrations.Migration,), {"operations": list(operations), "contracts": contracts})
    return made("0099_synthetic", "regulations")


def test_a_migration_that_removes_or_renames_is_refused():
    for operation in (
        migrations.RemoveField("provision", "heading"),
        migrations.RenameField("provision", "heading", "title"),
        migrations.RenameModel("Provision", "Clause"),
        migrations.DeleteModel("Correction"),
        migrations.AlterModelTable("provision", "regulations_clause"),
        migrations.SeparateDatabaseAndState(database_operations=[migrations.RemoveField("provision", "heading")]),
    ):
        assert breaks_previous_release(migration(operation)), operation


def test_a_not_null_column_needs_a_database_default():
    with_python_default = migrations.AddField("provision", "weight", models.IntegerField(default=0))
    assert "NOT NULL without db_default" in breaks_previous_release(migration(with_python_default))[0]
    required_link = migrations.AddField(
        "provision", "owner", models.ForeignKey("organizations.User", on_delete=models.CASCADE)
    )
    assert breaks_previous_release(migration(required_link))
    assert not breaks_previous_release(
        migration(
            migrations.AddField("provision", "weight", models.IntegerField(db_default=0)),
            migrations.AddField("provision", "note", models.TextField(null=True)),
            migrations.AddField("provision", "tags", models.ManyToManyField("organizations.User")),
            migrations.AddIndex("provision", models.Index(fields=["label"], name="provision_label")),
            migrations.CreateModel("Tag", [("id", models.BigAutoField(primary_key=True))]),
        )
    )


def test_a_migration_declared_contracting_may_remove():
    assert not breaks_previous_release(migration(migrations.RemoveField("provision", "heading"), contracts=True))
