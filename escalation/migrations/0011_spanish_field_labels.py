# Spanish labels for every field (verbose_name only: no SQL).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('escalation', '0010_mail_start_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='appliedslarevision',
            name='applied_at',
            field=models.DateTimeField(verbose_name='applied at'),
        ),
        migrations.AlterField(
            model_name='appliedslarevision',
            name='key',
            field=models.CharField(default='default', max_length=20, unique=True, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='appliedslarevision',
            name='revision',
            field=models.CharField(max_length=32, verbose_name='revision'),
        ),
        migrations.AlterField(
            model_name='customeremail',
            name='activity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.caseactivity', verbose_name='activity'),
        ),
        migrations.AlterField(
            model_name='customeremail',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='customer_emails', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='customeremail',
            name='in_reply_to',
            field=models.CharField(blank=True, editable=False, max_length=998, verbose_name='in reply to'),
        ),
        migrations.AlterField(
            model_name='customeremail',
            name='key',
            field=models.CharField(editable=False, max_length=160, unique=True, verbose_name='event key'),
        ),
        migrations.AlterField(
            model_name='customeremail',
            name='message_id',
            field=models.CharField(editable=False, max_length=250, unique=True, verbose_name='Message-ID'),
        ),
        migrations.AlterField(
            model_name='inboundemail',
            name='activity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.caseactivity', verbose_name='activity'),
        ),
        migrations.AlterField(
            model_name='inboundemail',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='inboundemail',
            name='refusal',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.refusedrequest', verbose_name='refusal'),
        ),
        migrations.AlterField(
            model_name='inboundemail',
            name='sha256',
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name='SHA-256'),
        ),
        migrations.AlterField(
            model_name='mailhistorycutoff',
            name='key',
            field=models.CharField(default='default', editable=False, max_length=20, unique=True, verbose_name='key'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='activity',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='cases.caseactivity', verbose_name='activity'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='pqr_step',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notification', to='escalation.pqrstep', verbose_name='PQR step'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='rule',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='escalation.escalationrule', verbose_name='rule'),
        ),
        migrations.AlterField(
            model_name='pqr',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pqrs', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='pqr',
            name='resolved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='resolved by'),
        ),
        migrations.AlterField(
            model_name='pqrstep',
            name='acknowledged_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='acknowledged by'),
        ),
        migrations.AlterField(
            model_name='pqrstep',
            name='level',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='escalation.escalationlevel', verbose_name='level'),
        ),
        migrations.AlterField(
            model_name='pqrstep',
            name='pqr',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='escalation.pqr', verbose_name='PQR'),
        ),
    ]
