from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Anmeldung und Konto"
    default = True

    def ready(self):
        from . import signals  # noqa: F401  (starts the idle clock and decides the second factor at login)


class KimportalAdminConfig(admin_apps.AdminConfig):
    """The Django admin, whose site also demands a verified second factor (accounts.admin_site)."""

    default = False
    default_site = "accounts.admin_site.KimportalAdminSite"
