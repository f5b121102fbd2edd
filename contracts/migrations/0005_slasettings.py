import django.core.validators
from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("contracts", "SlaSettings").objects.get_or_create(key="default")


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_change_record"),
    ]

    operations = [
        migrations.CreateModel(
            name="SlaSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at")),
                ("key", models.CharField(default="default", editable=False, max_length=20, unique=True)),
                (
                    "at_risk_percent",
                    models.PositiveSmallIntegerField(
                        default=75,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(99),
                        ],
                        verbose_name="at risk from (percent of the attention time)",
                    ),
                ),
            ],
            options={"verbose_name": "SLA settings", "verbose_name_plural": "SLA settings"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
