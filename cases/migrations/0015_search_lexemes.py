"""The vocabulary of the case search (PostgreSQL only): every lexeme of every case's ``search_tsv``,
kept by triggers, and ``cases_expand_prefixes(tsquery)``, which rewrites each prefix term of a
search (``'falla':*``) into the words that exist with that prefix (``'falla' | 'fallas'``).

Why: the GIN index answers a prefix term by collecting every row of every matching word into a
bitmap before it can intersect anything (no skipping), so a search of several long words costs the
sum of their frequencies; exact words are intersected with GIN's fast scan. Same results: the
vocabulary holds every lexeme any case has (a superset: it never forgets one), and a prefix shared
by more than 32 words stays a prefix. See cases/search.py.
"""

from django.db import migrations

FORWARD = [
    # C collation: byte order, the order in which tsquery compares a prefix with a lexeme.
    'CREATE TABLE IF NOT EXISTS cases_searchlexeme (word text COLLATE "C" PRIMARY KEY)',
    """
    CREATE OR REPLACE FUNCTION cases_searchlexeme_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        -- In word order, so that two transactions adding the same new words cannot deadlock.
        INSERT INTO cases_searchlexeme (word)
        SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(new_rows.search_tsv)) AS w
        ORDER BY 1
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION cases_searchlexeme_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_searchlexeme (word)
        SELECT DISTINCT w FROM unnest(tsvector_to_array(NEW.search_tsv)) AS w
        ORDER BY 1
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS cases_searchlexeme_insert ON cases_case",
    "CREATE TRIGGER cases_searchlexeme_insert AFTER INSERT ON cases_case "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cases_searchlexeme_inserted()",
    "DROP TRIGGER IF EXISTS cases_searchlexeme_update ON cases_case",
    "CREATE TRIGGER cases_searchlexeme_update AFTER UPDATE OF search_document ON cases_case "
    "FOR EACH ROW WHEN (OLD.search_document IS DISTINCT FROM NEW.search_document) "
    "EXECUTE FUNCTION cases_searchlexeme_updated()",
    # IMMUTABLE although it reads a table: the planner then folds it over the constant query of a
    # search, so the plan (and its row estimates) sees the exact words. The table only grows and a
    # search plans anew every time (no prepared plans), so a folded result is never stale.
    r"""
    CREATE OR REPLACE FUNCTION cases_expand_prefixes(search tsquery) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        pattern CONSTANT text := '''((?:[^'']|'''')*)'':\*(?![A-Za-z])';
        source text := search::text;
        pieces text[];
        found text[];
        prefix text;
        words text[];
        result text;
        i int := 1;
    BEGIN
        IF strpos(source, ':*') = 0 THEN
            RETURN search;
        END IF;
        pieces := regexp_split_to_array(source, pattern);
        result := pieces[1];
        FOR found IN SELECT regexp_matches(source, pattern, 'g') LOOP
            i := i + 1;
            prefix := replace(found[1], '''''', '''');
            words := NULL;
            IF strpos(prefix, '\') = 0 THEN
                SELECT array_agg(word ORDER BY word) INTO words FROM (
                    SELECT word FROM cases_searchlexeme
                    WHERE word >= prefix AND word < prefix || chr(1114111)
                    ORDER BY word LIMIT 33
                ) AS known;
            END IF;
            IF words IS NULL OR cardinality(words) > 32 THEN
                result := result || '''' || found[1] || ''':*';
            ELSE
                result := result || '( ' || (
                    SELECT string_agg('''' || replace(w, '''', '''''') || '''', ' | ' ORDER BY w)
                    FROM unnest(words) AS w
                ) || ' )';
            END IF;
            result := result || pieces[i];
        END LOOP;
        RETURN result::tsquery;
    END $$
    """,
    # The words of the cases that exist already.
    "INSERT INTO cases_searchlexeme (word) "
    "SELECT DISTINCT w FROM cases_case, unnest(tsvector_to_array(search_tsv)) AS w "
    "ON CONFLICT DO NOTHING",
]
BACKWARD = [
    "DROP FUNCTION IF EXISTS cases_expand_prefixes(tsquery)",
    "DROP TRIGGER IF EXISTS cases_searchlexeme_update ON cases_case",
    "DROP TRIGGER IF EXISTS cases_searchlexeme_insert ON cases_case",
    "DROP FUNCTION IF EXISTS cases_searchlexeme_updated()",
    "DROP FUNCTION IF EXISTS cases_searchlexeme_inserted()",
    "DROP TABLE IF EXISTS cases_searchlexeme",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_list_cover_indexes")]

    operations = [migrations.RunPython(forward, backward)]
