# Spanish labels for every field (verbose_name only: no SQL).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_form_submission'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='contract',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='contracts.supportcontract', verbose_name='contract'),
        ),
        migrations.AlterField(
            model_name='case',
            name='customer',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='contracts.customer', verbose_name='customer'),
        ),
        migrations.AlterField(
            model_name='case',
            name='duplicate_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='duplicates', to='cases.case', verbose_name='duplicate of'),
        ),
        migrations.AlterField(
            model_name='case',
            name='installation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='contracts.installation', verbose_name='installation'),
        ),
        migrations.AlterField(
            model_name='case',
            name='plan',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contracts.supportplan', verbose_name='support plan'),
        ),
        migrations.AlterField(
            model_name='case',
            name='product',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='contracts.product', verbose_name='product'),
        ),
        migrations.AlterField(
            model_name='case',
            name='search_document',
            field=models.TextField(default='', editable=False, verbose_name='search text'),
        ),
        migrations.AlterField(
            model_name='caseactivity',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='caseactivity',
            name='customer_notice_due',
            field=models.BooleanField(default=False, editable=False, verbose_name='customer notice due'),
        ),
        migrations.AlterField(
            model_name='caseattachment',
            name='activity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='attachments', to='cases.caseactivity', verbose_name='activity'),
        ),
        migrations.AlterField(
            model_name='caseattachment',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='caseattachment',
            name='sha256',
            field=models.CharField(max_length=64, verbose_name='SHA-256'),
        ),
        migrations.AlterField(
            model_name='caseattachment',
            name='uploaded_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by'),
        ),
        migrations.AlterField(
            model_name='casesequence',
            name='last',
            field=models.PositiveIntegerField(default=0, verbose_name='last number'),
        ),
        migrations.AlterField(
            model_name='casesequence',
            name='year',
            field=models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='year'),
        ),
        migrations.AlterField(
            model_name='onsitevisitauthorization',
            name='authorized_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='authorised by'),
        ),
        migrations.AlterField(
            model_name='onsitevisitauthorization',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visit_authorizations', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='onsitevisitauthorization',
            name='used_by',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='visit_authorization', to='cases.caseactivity', verbose_name='used in'),
        ),
        migrations.AlterField(
            model_name='refusedrequest',
            name='customer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contracts.customer', verbose_name='customer'),
        ),
        migrations.AlterField(
            model_name='refusedrequest',
            name='refused_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='refused by'),
        ),
        migrations.AlterField(
            model_name='refusedrequest',
            name='requester',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contracts.technicalcontact', verbose_name='requested by'),
        ),
        migrations.AlterField(
            model_name='surveyowed',
            name='case',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='surveys_owed', to='cases.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='surveyowed',
            name='closure',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='survey_owed', to='cases.caseactivity', verbose_name='closure'),
        ),
        migrations.AlterField(
            model_name='surveyowed',
            name='contact',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contracts.technicalcontact', verbose_name='contact'),
        ),
        migrations.AlterField(
            model_name='surveyowed',
            name='created_at',
            field=models.DateTimeField(verbose_name='created at'),
        ),
        migrations.AlterField(
            model_name='surveyowed',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='sent at'),
        ),
    ]
