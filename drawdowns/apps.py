from django.apps import AppConfig


class DrawdownsConfig(AppConfig):
    name = "drawdowns"
    verbose_name = "Mittelabrufe"
