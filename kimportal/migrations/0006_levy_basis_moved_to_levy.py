"""Municipality.levy_basis goes: the Umlagegrundlagen are kept per fiscal year in levy.LevyBasis.

levy 0002 copies every value first; going back, levy 0002 writes the latest year's amount back.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('kimportal', '0005_county_keys_and_districts'),
        ('levy', '0002_bases_from_municipality_field'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalmunicipality',
            name='levy_basis',
        ),
        migrations.RemoveField(
            model_name='municipality',
            name='levy_basis',
        ),
    ]
