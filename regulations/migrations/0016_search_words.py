"""The words of the texts, for search on PostgreSQL: a lexicon and an index of each provision's words.

A provision's words are its folded text cut at spaces (`string_to_array(text_folded, ' ')`). The
lexicon (`regulations_searchword`) holds every word that occurs in a provision; triggers add the words
of every row inserted or changed, whoever writes it (the services, the admin, the province generator's
bulk inserts, a benchmark's SQL), so a search word found in no word of the lexicon is found nowhere. It
only grows: a word left by a deleted or edited text costs a search one more query, never a wrong answer.

The GIN index of each provision's words answers "has one of these words" exactly, from its lists of
rows, without reading rows that lack them; it replaces the trigram index of the provisions (its
candidates had to be read again, thousands of them for words that are each frequent: "ve tinh dia tinh").
The lexicon's own trigram index finds the lexicon's words that contain a search word.
"""

from django.db import migrations

LEXICON = """
CREATE TABLE IF NOT EXISTS regulations_searchword (word text PRIMARY KEY);

CREATE OR REPLACE FUNCTION regulations_searchword_add() RETURNS trigger AS $$
BEGIN
    -- In order, so that two writers adding the same new words lock them in the same order.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO regulations_searchword (word)
            SELECT DISTINCT unnest(string_to_array(text_folded, ' ')) FROM written ORDER BY 1
            ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO regulations_searchword (word)
            SELECT DISTINCT unnest(string_to_array(written.text_folded, ' '))
            FROM written JOIN before USING (id)
            WHERE written.text_folded IS DISTINCT FROM before.text_folded ORDER BY 1
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER regulations_searchword_inserted
    AFTER INSERT ON regulations_provision REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION regulations_searchword_add();
CREATE TRIGGER regulations_searchword_updated
    AFTER UPDATE ON regulations_provision REFERENCING OLD TABLE AS before NEW TABLE AS written
    FOR EACH STATEMENT EXECUTE FUNCTION regulations_searchword_add();
"""

# After the triggers: CREATE TRIGGER waits for the writers already at work, so whatever they wrote is
# read here, and whatever is written from now on goes through the triggers.
FILL = """
INSERT INTO regulations_searchword (word)
    SELECT DISTINCT unnest(string_to_array(text_folded, ' ')) FROM regulations_provision
    ON CONFLICT DO NOTHING
"""

INDEXES = [
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "regulations_searchword_trgm" '
    'ON "regulations_searchword" USING gin ("word" gin_trgm_ops)',
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "regulations_provision_words" '
    'ON "regulations_provision" USING gin (string_to_array("text_folded", \' \'))',
    'DROP INDEX CONCURRENTLY IF EXISTS "regulations_provision_text_folded_trgm"',
]

UNDO = [
    'CREATE INDEX CONCURRENTLY IF NOT EXISTS "regulations_provision_text_folded_trgm" '
    'ON "regulations_provision" USING gin ("text_folded" gin_trgm_ops)',
    'DROP INDEX CONCURRENTLY IF EXISTS "regulations_provision_words"',
    "DROP TRIGGER IF EXISTS regulations_searchword_inserted ON regulations_provision",
    "DROP TRIGGER IF EXISTS regulations_searchword_updated ON regulations_provision",
    "DROP FUNCTION IF EXISTS regulations_searchword_add()",
    "DROP TABLE IF EXISTS regulations_searchword",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(LEXICON, params=None)
    schema_editor.execute(FILL, params=None)
    for statement in INDEXES:
        schema_editor.execute(statement, params=None)
    schema_editor.execute("ANALYZE regulations_provision", params=None)  # the words' frequencies


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in UNDO:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("regulations", "0015_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
