"""On PostgreSQL, the database itself refuses to change or delete a provision of an issued version.

What it lets through on an issued version: an UPDATE of `key`, `article_id` and `open_content`
only — the import writes the first two right after inserting an issued text (each article is its
own article; keys carried over from the version before), and the office marks a model's open
content — and anything at all inside a transaction that declared a correction (đính chính) with
`SET LOCAL quyche.correction = 'on'` (regulations/services.py `version_correct`). Deleting an
issued version or its regulation cascades here and is refused too.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION regulations_provision_guard() RETURNS trigger AS $$
DECLARE
    state varchar;
BEGIN
    IF coalesce(current_setting('quyche.correction', true), '') = 'on' THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    SELECT status INTO state FROM regulations_version WHERE id = OLD.version_id;
    IF state IS NULL OR state = 'draft' THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'key' - 'article_id' - 'open_content')
            = (to_jsonb(OLD) - 'key' - 'article_id' - 'open_content') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Văn bản đã ban hành không thể sửa hoặc xóa (điều khoản %); hãy ghi nhận một đính chính.', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER regulations_provision_guard
    BEFORE UPDATE OR DELETE ON regulations_provision
    FOR EACH ROW EXECUTE FUNCTION regulations_provision_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS regulations_provision_guard ON regulations_provision;
DROP FUNCTION IF EXISTS regulations_provision_guard();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("regulations", "0010_regulation_history")]

    operations = [migrations.RunPython(create, drop)]
