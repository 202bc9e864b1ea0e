from django.apps import AppConfig


class ActualsConfig(AppConfig):
    """Actual costs (Ist) per position and month: imports from payroll or HKR exports, and entries by hand."""

    name = "actuals"
    verbose_name = "Ist-Kosten"
