"""``manage.py rollover --county SLUG --year Y [--apply]``: the year-end rollover of a county's plan to Y+1.

Without --apply it prints the three lists (taken over / left out / already there), with a warning for each
expected decision that grants less in Y+1 (rollover.drops), and saves nothing; with --apply it writes the copied
appropriations and the expected decisions (marked "erwartet") into the plan (rollover.services). An error
is one line on stderr and a non-zero exit; then nothing is saved.
"""
from django.core.management.base import CommandError

from kimportal.management.base import OneLineErrorCommand
from kimportal.models import County
from rollover.drops import grant_drops
from rollover.presentation import plan_lines
from rollover.rules import RolloverRefused, check_year
from rollover.selectors import county_plan
from rollover.services import rollover_apply


class Command(OneLineErrorCommand):
    help = ("Schreibt den Plan eines Haushaltsjahres ins Folgejahr fort: Haushaltsansätze, weiterlaufende Stellen, "
            "erwartete Bescheide. Ohne --apply nur die Vorschau.")

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="Kürzel des Kreises, z. B. rhein-sieg-kreis")
        parser.add_argument("--year", required=True, help="das fortzuschreibende Haushaltsjahr, z. B. 2022")
        parser.add_argument("--apply", action="store_true", help="in den Plan des Folgejahres übernehmen")

    def handle(self, *args, county, year, apply=False, **options):
        found = County.objects.filter(slug=county).first()
        if found is None:
            raise CommandError(f"Einen Kreis mit dem Kürzel „{county}“ gibt es nicht.")
        try:
            year = check_year(year)
            if apply:
                applied = rollover_apply(county=found, year=year)
                plan = applied.plan
            else:
                plan = county_plan(found, year)
        except RolloverRefused as error:
            raise CommandError(str(error)) from None
        head = f"Fortschreibung {found.name} {year} → {year + 1}"
        if not apply:
            self.stdout.write(f"{head} (Vorschau, nichts gespeichert)")
        elif applied.created_anything:
            self.stdout.write(f"{head}: in den Plan übernommen, {len(applied.appropriations)} Haushaltsansätze und "
                              f"{len(applied.decisions)} erwartete Bescheide angelegt")
        else:
            self.stdout.write(f"{head}: nichts Neues, der Plan {year + 1} hat schon alles")
        if apply and applied.decisions:
            self.stdout.write("Die Bescheide sind als „erwartet (noch kein Bescheid)“ markiert: Mittel lassen sich "
                              "erst abrufen, wenn das Bescheiddatum eingetragen ist.")
        if apply and applied.scenario_note:
            self.stdout.write(applied.scenario_note)
        for line in plan_lines(plan, () if apply else grant_drops(plan)):
            self.stdout.write(line)
