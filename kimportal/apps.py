from django.apps import AppConfig


class KimportalConfig(AppConfig):
    name = "kimportal"
    verbose_name = "Stammdaten (Kreise, Kommunen, Benutzer)"

    def ready(self):
        from . import roles  # noqa: F401  (connects the post_migrate signal)
        from . import versioning

        versioning.connect()
