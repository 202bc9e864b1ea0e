from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Änderungsprotokoll"

    def ready(self):
        from . import signals  # noqa: F401  (skips saves that change nothing; notes password changes)
