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
    # The part of a search the GIN index should read for a capped count: the search without the
    # words most cases have (at least half, by the column's statistics) when they are plain
    # operands of its top-level AND. Every match of the search matches this (a superset); the
    # caller tests the whole search on the rows it yields. At least one word always stays.
    r"""
    CREATE OR REPLACE FUNCTION cases_search_index_query(search tsquery) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
        lexeme CONSTANT text := '''(?:[^'']|'''')*''';
        source text := search::text;
        operands text[] := '{}';
        current text := NULL;
        bare text;
        depth int := 0;
        piece text;
        elems text[];
        freqs real[];
        freq real;
        kept text[] := '{}';
        rarest text;
        rarest_freq real := 2;
    BEGIN
        IF strpos(source, ' & ') = 0 THEN
            RETURN search;
        END IF;
        -- The top-level operands: split at ' & ', glue back what sits inside parentheses.
        FOREACH piece IN ARRAY string_to_array(source, ' & ') LOOP
            current := CASE WHEN current IS NULL THEN piece ELSE current || ' & ' || piece END;
            bare := regexp_replace(piece, lexeme, '', 'g');
            depth := depth + (length(bare) - length(replace(bare, '(', '')))
                           - (length(bare) - length(replace(bare, ')', '')));
            IF depth = 0 THEN
                operands := operands || current;
                current := NULL;
            END IF;
        END LOOP;
        IF depth <> 0 OR cardinality(operands) < 2 THEN
            RETURN search;
        END IF;
        FOREACH piece IN ARRAY operands LOOP
            bare := regexp_replace(piece, lexeme, '', 'g');
            LOOP  -- parenthesised groups out: no '|' may be left at the top level
                EXIT WHEN bare !~ '\([^()]*\)';
                bare := regexp_replace(bare, '\([^()]*\)', '', 'g');
            END LOOP;
            IF strpos(bare, '|') > 0 THEN
                RETURN search;
            END IF;
        END LOOP;
        SELECT most_common_elems::text::text[], most_common_elem_freqs INTO elems, freqs
        FROM pg_stats
        WHERE schemaname = current_schema() AND tablename = 'cases_case' AND attname = 'search_tsv';
        IF elems IS NULL THEN
            RETURN search;
        END IF;
        FOREACH piece IN ARRAY operands LOOP
            freq := NULL;
            IF piece ~ ('^' || lexeme || '$') THEN
                freq := freqs[array_position(
                    elems, replace(substr(piece, 2, length(piece) - 2), '''''', '''')
                )];
            END IF;
            IF freq IS NOT NULL AND freq >= 0.5 THEN
                IF freq < rarest_freq THEN
                    rarest := piece;
                    rarest_freq := freq;
                END IF;
            ELSE
                kept := kept || piece;
            END IF;
        END LOOP;
        IF cardinality(kept) = 0 THEN
            kept := ARRAY[rarest];
        END IF;
        RETURN array_to_string(kept, ' & ')::tsquery;
    END $$
    """,
    # The words of the cases that exist already.
    "INSERT INTO cases_searchlexeme (word) "
    "SELECT DISTINCT w FROM cases_case, unnest(tsvector_to_array(search_tsv)) AS w "
    "ON CONFLICT DO NOTHING",
]
BACKWARD = [
    "DROP FUNCTION IF EXISTS cases_search_index_query(tsquery)",
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
    dependencies = [("cases", "0016_survey_link_and_responses")]

    operations = [migrations.RunPython(forward, backward)]
