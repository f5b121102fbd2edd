"""Full-text index for case search, on PostgreSQL only (the embedded SQLite searches plainly)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS case_search_gin ON cases_case "
    "USING gin (to_tsvector('simple', search_document))"
)
DROP = "DROP INDEX IF EXISTS case_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
