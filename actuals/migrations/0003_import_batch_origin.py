# Who imported or undid a batch where no user of the application did (manage.py without --user, the demo).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actuals', '0002_vacancies'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalimportbatch',
            name='origin',
            field=models.CharField(blank=True, max_length=150, verbose_name='eingelesen über'),
        ),
        migrations.AddField(
            model_name='historicalimportbatch',
            name='undone_origin',
            field=models.CharField(blank=True, max_length=150, verbose_name='rückgängig gemacht über'),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='origin',
            field=models.CharField(blank=True, max_length=150, verbose_name='eingelesen über'),
        ),
        migrations.AddField(
            model_name='importbatch',
            name='undone_origin',
            field=models.CharField(blank=True, max_length=150, verbose_name='rückgängig gemacht über'),
        ),
    ]
