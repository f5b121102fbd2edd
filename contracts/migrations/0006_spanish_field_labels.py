# Spanish labels for every field (verbose_name only: no SQL).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0005_slasettings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='slasettings',
            name='key',
            field=models.CharField(default='default', editable=False, max_length=20, unique=True, verbose_name='key'),
        ),
    ]
