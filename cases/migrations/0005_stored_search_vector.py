"""Store the search vector (PostgreSQL only): a generated tsvector column with its GIN index, so a
search reads the index instead of recomputing to_tsvector for every candidate row. The model does
not know the column; PostgreSQL fills it. The embedded SQLite searches plainly."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE cases_case ADD COLUMN IF NOT EXISTS search_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_document)) STORED",
    "CREATE INDEX IF NOT EXISTS case_search_tsv_gin ON cases_case USING gin (search_tsv)",
    "DROP INDEX IF EXISTS case_search_gin",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS case_search_gin ON cases_case USING gin (to_tsvector('simple', search_document))",
    "DROP INDEX IF EXISTS case_search_tsv_gin",
    "ALTER TABLE cases_case DROP COLUMN IF EXISTS search_tsv",
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
    dependencies = [("cases", "0004_list_indexes")]

    operations = [migrations.RunPython(forward, backward)]
