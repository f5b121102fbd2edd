"""The articles' search vector (PostgreSQL only): a stored generated tsvector in the Spanish
configuration (stemming, stop words) over the folded text — the title weighted A, the rest B —
with its GIN index. The model does not know the column; the embedded SQLite searches plainly."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE knowledge_article ADD COLUMN IF NOT EXISTS search_tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('spanish'::regconfig, search_title), 'A') || "
    "setweight(to_tsvector('spanish'::regconfig, search_document), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS article_search_tsv_gin ON knowledge_article USING gin (search_tsv)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS article_search_tsv_gin",
    "ALTER TABLE knowledge_article DROP COLUMN IF EXISTS search_tsv",
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
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
