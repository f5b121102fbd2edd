import django.core.validators
from django.db import migrations, models


def publish(apps, schema_editor):
    """The first active warning rule becomes the lists' at-risk threshold (one source)."""
    EscalationRule = apps.get_model("escalation", "EscalationRule")
    SlaSettings = apps.get_model("contracts", "SlaSettings")
    shares = EscalationRule.objects.filter(is_active=True, share_percent__lt=100).values_list(
        "share_percent", flat=True
    )
    first = min(shares, default=None)
    if first is not None:
        SlaSettings.objects.update_or_create(key="default", defaults={"at_risk_percent": first})


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_slasettings"),
        ("escalation", "0007_notification_customer_message"),
    ]

    operations = [
        migrations.AlterField(
            model_name="escalationrule",
            name="share_percent",
            field=models.PositiveSmallIntegerField(
                help_text=(
                    "75 warns before the deadline, 100 is the breach, 150 and 200 are later. The first "
                    "active warning (below 100) also marks unanswered cases as at risk in the case lists."
                ),
                unique=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(1000),
                ],
                verbose_name="attention time consumed (%)",
            ),
        ),
        migrations.RunPython(publish, migrations.RunPython.noop),
    ]
