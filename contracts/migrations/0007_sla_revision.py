"""A revision number for the SLA tables, bumped by database triggers in the writer's transaction."""

from django.db import migrations, models

TABLES = (
    "contracts_servicecalendar",
    "contracts_calendarslot",
    "contracts_holiday",
    "contracts_holidayyear",
    "contracts_supportplan",
    "contracts_attentionpolicy",
    "contracts_slasettings",
)

FUNCTION = """
CREATE SEQUENCE IF NOT EXISTS contracts_sla_revision_seq;
CREATE OR REPLACE FUNCTION contracts_sla_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO contracts_slarevision (id, number) VALUES (1, nextval('contracts_sla_revision_seq'))
    ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number;
    RETURN NULL;
END $$;
INSERT INTO contracts_slarevision (id, number) VALUES (1, nextval('contracts_sla_revision_seq'))
ON CONFLICT (id) DO NOTHING;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_sla_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION contracts_sla_revision_bump()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_sla_revision ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS contracts_sla_revision_bump()")
    schema_editor.execute("DROP SEQUENCE IF EXISTS contracts_sla_revision_seq")


class Migration(migrations.Migration):
    dependencies = [("contracts", "0006_spanish_field_labels")]

    operations = [
        migrations.CreateModel(
            name="SlaRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(verbose_name="revision")),
            ],
            options={"verbose_name": "SLA tables revision", "verbose_name_plural": "SLA tables revisions"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
