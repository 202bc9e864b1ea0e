"""``manage.py import_population``: the official figures replace the demo's approximations, all or nothing.

Demo data: the 19 municipalities of the Rhein-Sieg-Kreis and the 8 of the Rhein-Kreis Neuss with their AGS
(fixtures/00_counties.yaml). The sample file (tests/population/data) has Alfter 23.521 and Neuss 152.731 of
31.12.2021, plus Bonn, Köln and Düsseldorf, which belong to no demo county.
"""
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kimportal.models import County, Municipality
from population.itnrw import read_population_file
from population.services import population_import

SAMPLE = Path(__file__).parent / "data" / "12411-01ir_2021-12-31.csv"
SOURCE = "IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle 12411-01ir"
RSK = "rhein-sieg-kreis"

pytestmark = pytest.mark.django_db


@pytest.fixture
def alfter(demo):
    """Alfter with the approximate figure the demo carried before (23.897), to be replaced by the table's."""
    municipality = Municipality.objects.get(county__slug=RSK, name="Alfter")
    municipality.population, municipality.population_source = 23897, "Näherungswert, nicht amtlich (Demodaten)"
    municipality.save()
    return municipality


def run(*args):
    out = io.StringIO()
    call_command("import_population", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def snapshot():
    return list(Municipality.objects.order_by("pk").values_list("pk", "population", "population_as_of",
                                                               "population_source"))


def test_the_command_replaces_alfters_approximation_by_the_official_figure_and_reports_the_rest(alfter):
    output = run(SAMPLE, "--county", RSK)

    lines = output.splitlines()
    assert lines[0] == f"Einwohnerzahlen {SOURCE}, Stand 31.12.2021:"
    assert "  Alfter (05382004): 23.897 (31.12.2021) → 23.521" in lines
    assert "Nicht in der Datei: Bad Honnef (05382008), Bornheim (05382012)," in output
    assert "Windeck (05382076)" in output
    # Neuss, Bonn, Köln, Düsseldorf: rows of the file that are no municipality of the Rhein-Sieg-Kreis.
    assert "4 Zeilen der Datei (anderer Kreise oder unbekannt) ignoriert." in lines
    assert lines[-1] == "1 Kommune geändert, 0 unverändert."
    alfter.refresh_from_db()
    assert (alfter.population, alfter.population_as_of, alfter.population_source) == (
        23521, date(2021, 12, 31), SOURCE)


def test_the_change_is_recorded_in_the_history_with_source_and_date(alfter):
    before = alfter.history.count()

    run(SAMPLE, "--county", RSK)

    assert alfter.history.count() == before + 1
    latest = alfter.history.first()
    assert (latest.population, latest.history_change_reason) == (
        23521, f"Einwohnerzahl {SOURCE}, Stand 31.12.2021")
    assert latest.prev_record.population == 23897


def test_importing_the_same_file_twice_changes_nothing_the_second_time(alfter):
    run(SAMPLE, "--county", RSK)
    count = alfter.history.count()

    output = run(SAMPLE, "--county", RSK)

    assert "  Alfter (05382004): 23.521 unverändert" in output.splitlines()
    assert output.splitlines()[-1] == "0 Kommunen geändert, 1 unverändert."
    assert alfter.history.count() == count


def test_without_a_county_every_municipality_with_a_key_is_matched(alfter):
    output = run(SAMPLE)

    assert "  Alfter (05382004): 23.897 (31.12.2021) → 23.521" in output
    neuss = Municipality.objects.get(name="Neuss")
    assert (neuss.population, neuss.population_source) == (152731, SOURCE)
    assert "3 Zeilen der Datei (ohne passende Kommune) ignoriert." in output


def test_a_dry_run_prints_the_same_and_saves_nothing(alfter):
    before, history = snapshot(), alfter.history.count()

    output = run(SAMPLE, "--county", RSK, "--dry-run")

    assert "  Alfter (05382004): 23.897 (31.12.2021) → 23.521" in output
    assert output.splitlines()[-1] == "Probelauf: 1 Kommunen würden geändert; nichts gespeichert."
    assert snapshot() == before
    assert alfter.history.count() == history


def test_as_of_gives_the_stichtag_a_file_does_not_name(alfter, tmp_path):
    undated = tmp_path / "ohne-stichtag.csv"
    undated.write_text("AGS;Gemeinde;Einwohner\n05382004;Alfter;23521\n", encoding="utf-8")

    with pytest.raises(CommandError, match="nennt keinen Stichtag; bitte mit --as-of angeben"):
        run(undated, "--county", RSK)
    output = run(undated, "--county", RSK, "--as-of", "31.12.2021", "--source", "IT.NRW, 12411-01ir")

    assert "Einwohnerzahlen IT.NRW, 12411-01ir, Stand 31.12.2021:" in output
    alfter.refresh_from_db()
    assert (alfter.population, alfter.population_as_of) == (23521, date(2021, 12, 31))


@pytest.mark.parametrize("args, message", [
    (["fehlt.csv"], "Die Datei „fehlt.csv“ gibt es nicht."),
    ([SAMPLE, "--county", "atlantis"], "Unbekannter Kreis 'atlantis'"),
    ([SAMPLE, "--as-of", "31.11.2021"], "Das Datum „31.11.2021“ gibt es nicht."),
    ([SAMPLE, "--as-of", "Silvester"], "--as-of erwartet ein Datum TT.MM.JJJJ"),
])
def test_bad_arguments_are_one_german_sentence_and_nothing_is_saved(alfter, args, message):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert snapshot() == before


def test_a_file_with_a_broken_row_saves_nothing_not_even_the_good_rows(alfter, tmp_path):
    broken = tmp_path / "kaputt.csv"
    broken.write_bytes(SAMPLE.read_bytes().replace(b"05162024;Neuss, Stadt;152731", b"05162024;Neuss, Stadt;x"))
    before = snapshot()

    with pytest.raises(CommandError, match="Zeile 10: Die Einwohnerzahl „x“ für den Gemeindeschlüssel 05162024"):
        run(broken)
    assert snapshot() == before


def test_a_file_naming_no_municipality_of_the_county_is_refused(demo):
    with pytest.raises(ValidationError, match="Keine Kommune des Kreises „Rhein-Kreis Neuss“"):
        population_import(table=_without_neuss(), county=County.objects.get(slug="rhein-kreis-neuss"))


def test_a_failing_record_rolls_back_the_ones_saved_before_it(alfter, monkeypatch):
    """All or nothing inside the service: the second municipality fails, the first is not kept."""
    table = read_population_file(SAMPLE)
    before = snapshot()
    original = Municipality.full_clean

    def fail_for_neuss(self, *args, **kwargs):
        if self.name == "Neuss":
            raise ValidationError("Neuss: kaputt")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Municipality, "full_clean", fail_for_neuss)
    with pytest.raises(ValidationError, match="Neuss: kaputt"):
        population_import(table=table)
    assert snapshot() == before


def _without_neuss():
    table = read_population_file(SAMPLE)
    return type(table)(rows=tuple(row for row in table.rows if row.ags != "05162024"), as_of=table.as_of,
                       table_code=table.table_code)
