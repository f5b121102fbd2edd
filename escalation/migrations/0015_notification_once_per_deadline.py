"""A rule fires once per deadline, not once per case: the notification keeps the attention deadline
it fired for, and (case, rule, deadline) is unique. Notifications already sent are taken as sent
for the deadline the case carries now, so nothing fires twice after the migration."""

from django.db import migrations, models

BACKFILL = """
UPDATE escalation_notification SET deadline = COALESCE(
    (SELECT attention_due_at FROM cases_case WHERE cases_case.id = escalation_notification.case_id), due_at
) WHERE rule_id IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_list_cover_indexes'),
        ('escalation', '0014_inbound_held_label'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='notification',
            name='notification_once_per_case_rule',
        ),
        migrations.AddField(
            model_name='notification',
            name='deadline',
            field=models.DateTimeField(blank=True, help_text="The case's attention deadline the rule fired for.", null=True, verbose_name='deadline'),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(condition=models.Q(('rule__isnull', False)), fields=('case', 'rule', 'deadline'), name='notification_once_per_rule_deadline'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.CheckConstraint(condition=models.Q(('rule__isnull', True), ('deadline__isnull', False), _connector='OR'), name='notification_rule_has_deadline'),
        ),
    ]
