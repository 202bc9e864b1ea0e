from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workbook"
    verbose_name = "Arbeitsmappe (Import/Export)"
