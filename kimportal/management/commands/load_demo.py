"""Load the demo data of the committee papers; safe to run any number of times."""
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kimportal import roles, versioning
from kimportal.models import County, User
from actuals.demo import import_fixture_actuals
from workbook.demo import import_fixture_workbooks

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_PASSWORD = "kimportal-demo"
DEMO_USERS = [
    # username, role, county slug, first name, last name
    ("ki-rsk", roles.KI_STAFF, "rhein-sieg-kreis", "Kira", "Integrationszentrum"),
    ("finanzen-rsk", roles.FINANCE, "rhein-sieg-kreis", "Fiona", "Kämmerei"),
    ("ausschuss-rsk", roles.COMMITTEE, "rhein-sieg-kreis", "Arne", "Ausschuss"),
    ("ki-neuss", roles.KI_STAFF, "rhein-kreis-neuss", "Nele", "Neuss"),
    ("admin", roles.ADMINISTRATION, None, "Anna", "Administration"),
]


class Command(BaseCommand):
    help = "Lädt die Demodaten (Rhein-Sieg-Kreis, Rhein-Kreis Neuss) und die Demo-Benutzer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users", action="store_true",
            help="Demo-Benutzer auch anlegen, wenn DEBUG aus ist (nur für Vorführsysteme!).",
        )
        parser.add_argument("--no-users", action="store_true", help="Keine Demo-Benutzer anlegen.")

    def handle(self, *args, with_demo_users=False, no_users=False, **options):
        files = sorted(FIXTURES.glob("*.yaml"))
        if not files:
            raise CommandError(f"Keine Demodaten in {FIXTURES} gefunden.")
        with transaction.atomic():
            call_command("loaddata", *[str(f) for f in files], verbosity=0)
            versioning.bump_all()  # loaddata's raw saves raise no data version (kimportal.versioning)
            # Counties kept as workbooks (fixtures/NN_<slug>.xlsx) come in through the workbook importer.
            workbooks = import_fixture_workbooks(FIXTURES)
            # The actual costs of January to June 2022 come in through the actuals importer (fixtures/70_actuals.csv).
            import_fixture_actuals(FIXTURES)
            self._initial_history()
            roles.sync_roles()
            made_users = False
            if not no_users:
                if settings.DEBUG or with_demo_users:
                    self._users()
                    made_users = True
        self.stdout.write(f"Demodaten geladen: {len(files) + len(workbooks)} Dateien, {County.objects.count()} Kreise.")
        if made_users:
            self.stdout.write(f"Demo-Benutzer: {', '.join(u[0] for u in DEMO_USERS)} (Passwort: {DEMO_PASSWORD}, nur für Demos).")
        elif not no_users:
            self.stdout.write("DEBUG ist aus: keine Demo-Benutzer angelegt (mit --with-demo-users erzwingen).")

    def _initial_history(self):
        """loaddata writes no history rows; give every record without one its "angelegt" entry,
        so the first edit in the browser shows old → new."""
        for model in apps.get_models():
            history = getattr(model, "history", None)
            if history is None or not hasattr(history, "bulk_history_create"):
                continue
            recorded = history.values_list(model._meta.pk.attname, flat=True)
            missing = list(model._default_manager.exclude(pk__in=recorded))
            if missing:
                history.bulk_history_create(missing, default_change_reason="Demodaten geladen")

    def _users(self):
        for username, role, county_slug, first, last in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.invalid"
            user.county = County.objects.get(slug=county_slug) if county_slug else None
            user.is_staff = user.is_superuser = role == roles.ADMINISTRATION
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
