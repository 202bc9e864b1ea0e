"""County.council_threshold is gone: who decides an unplanned provision (§ 83 GO NRW) is the provisions
app's ProvisionStatute, whose stages provisions 0002 made from it. One source of truth."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("kimportal", "0003_council_threshold_optional"),
        ("provisions", "0002_stages_from_council_threshold"),
    ]

    operations = [
        migrations.RemoveField(model_name="county", name="council_threshold"),
        migrations.RemoveField(model_name="historicalcounty", name="council_threshold"),
    ]
