"""``manage.py import_population``: the official figures replace the demo's approximations, all or nothing.

Demo data: the 19 municipalities of the Rhein-Sieg-Kreis and the 8 of the Rhein-Kreis Neuss with their AGS
(fixtures/00_counties.yaml). The sample file (tests/population/data) has IT.NRW's Neuss 152.731 of 31.12.2021,
plus Bonn, Köln and Düsseldorf, which belong to no demo county; it has no Alfter, whose only figure found
(23.521, General-Anzeiger Bonn) is no IT.NRW figure and must never be stored as one.
"""
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from kimportal.models import County, Municipality
from population.itnrw import parse_population_bytes, read_population_file
from population.services import population_import

SAMPLE = Path(__file__).parent / "data" / "12411-01ir_2021-12-31.csv"
ROOT_README = Path(__file__).resolve().parents[2] / "README.md"
SOURCE = "IT.NRW, Fortschreibung des Bevölkerungsstandes, Tabelle 12411-01ir"
RSK = "rhein-sieg-kreis"
RKN = "rhein-kreis-neuss"
APPROXIMATE = "Näherungswert, nicht amtlich (Demodaten)"

pytestmark = pytest.mark.django_db


@pytest.fixture
def neuss(demo):
    """Neuss with an approximate figure (153.000), to be replaced by the table's 152.731."""
    municipality = Municipality.objects.get(county__slug=RKN, name="Neuss")
    municipality.population, municipality.population_source = 153000, APPROXIMATE
    municipality.save()
    return municipality


@pytest.fixture
def alfter(demo):
    """Alfter with the approximate figure the demo carried before (23.897)."""
    municipality = Municipality.objects.get(county__slug=RSK, name="Alfter")
    municipality.population, municipality.population_source = 23897, APPROXIMATE
    municipality.save()
    return municipality


def run(*args):
    out = io.StringIO()
    call_command("import_population", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def snapshot():
    return list(Municipality.objects.order_by("pk").values_list("pk", "population", "population_as_of",
                                                               "population_source"))


def test_the_command_replaces_neusss_approximation_by_the_official_figure_and_reports_the_rest(neuss):
    output = run(SAMPLE, "--county", RKN)

    lines = output.splitlines()
    assert lines[0] == f"Einwohnerzahlen {SOURCE}, Stand 31.12.2021:"
    assert "  Neuss (05162024): 153.000 (31.12.2021) → 152.731" in lines
    assert ("Nicht in der Datei: Dormagen (05162004), Grevenbroich (05162008), Jüchen (05162012), Kaarst (05162016), "
            "Korschenbroich (05162020), Meerbusch (05162022), Rommerskirchen (05162028)") in lines
    # Bonn, Köln, Düsseldorf: Gemeinden of the file that are no municipality of the Rhein-Kreis Neuss.
    assert "3 Gemeinden der Datei gehören nicht zum Kreis „Rhein-Kreis Neuss“ und bleiben unberücksichtigt." in lines
    assert lines[-1] == "1 Kommune geändert, 0 unverändert."
    neuss.refresh_from_db()
    assert (neuss.population, neuss.population_as_of, neuss.population_source) == (
        152731, date(2021, 12, 31), SOURCE)


def test_the_change_is_recorded_in_the_history_with_source_and_date(neuss):
    before = neuss.history.count()

    run(SAMPLE, "--county", RKN)

    assert neuss.history.count() == before + 1
    latest = neuss.history.first()
    assert (latest.population, latest.history_change_reason) == (
        152731, f"Einwohnerzahl {SOURCE}, Stand 31.12.2021")
    assert latest.prev_record.population == 153000


def test_importing_the_same_file_twice_changes_nothing_the_second_time(neuss):
    run(SAMPLE, "--county", RKN)
    count = neuss.history.count()

    output = run(SAMPLE, "--county", RKN)

    assert "  Neuss (05162024): 152.731 unverändert" in output.splitlines()
    assert output.splitlines()[-1] == "0 Kommunen geändert, 1 unverändert."
    assert neuss.history.count() == count


def test_without_a_county_every_municipality_with_a_key_is_matched_and_alfter_keeps_its_own_source(neuss):
    alfter_before = Municipality.objects.filter(name="Alfter").values_list("population", "population_source").get()

    output = run(SAMPLE)

    assert "  Neuss (05162024): 153.000 (31.12.2021) → 152.731" in output
    assert "3 Gemeinden der Datei gehören zu keiner hier erfassten Kommune und bleiben unberücksichtigt." in output
    # The sample holds IT.NRW's figures only: Alfter's newspaper figure is never relabelled as IT.NRW's.
    assert "Alfter (05382004)" in output.splitlines()[-3]  # listed as "Nicht in der Datei"
    assert Municipality.objects.filter(name="Alfter").values_list("population", "population_source").get() == (
        alfter_before) == (23521, "General-Anzeiger Bonn, 05.07.2022 (amtliche Quelle dort nicht genannt)")


def test_a_dry_run_prints_the_same_and_saves_nothing(neuss):
    before, history = snapshot(), neuss.history.count()

    output = run(SAMPLE, "--county", RKN, "--dry-run")

    assert "  Neuss (05162024): 153.000 (31.12.2021) → 152.731" in output
    assert output.splitlines()[-1] == "Probelauf: 1 Kommunen würden geändert; nichts gespeichert."
    assert snapshot() == before
    assert neuss.history.count() == history


def test_as_of_gives_the_stichtag_a_file_does_not_name_and_source_its_true_source(alfter, tmp_path):
    undated = tmp_path / "ohne-stichtag.csv"
    undated.write_text("AGS;Gemeinde;Einwohner\n05382004;Alfter;23521\n", encoding="utf-8")

    with pytest.raises(CommandError, match="nennt keinen Stichtag; bitte mit --as-of angeben"):
        run(undated, "--county", RSK)
    output = run(undated, "--county", RSK, "--as-of", "31.12.2021", "--source", "General-Anzeiger Bonn, 05.07.2022")

    assert "Einwohnerzahlen General-Anzeiger Bonn, 05.07.2022, Stand 31.12.2021:" in output
    alfter.refresh_from_db()
    assert (alfter.population, alfter.population_as_of, alfter.population_source) == (
        23521, date(2021, 12, 31), "General-Anzeiger Bonn, 05.07.2022")


def test_a_file_naming_no_it_nrw_table_is_not_credited_to_it_nrw(alfter, tmp_path):
    undated = tmp_path / "ohne-titel.csv"
    undated.write_text("AGS;Gemeinde;Einwohner\n05382004;Alfter;23521\n", encoding="utf-8")

    output = run(undated, "--county", RSK, "--as-of", "31.12.2021")

    assert output.splitlines()[0] == (
        "Einwohnerzahlen Datei ohne Quellenangabe (keine Tabelle von IT.NRW genannt), Stand 31.12.2021:")
    alfter.refresh_from_db()
    assert "IT.NRW, Fortschreibung" not in alfter.population_source


@pytest.mark.parametrize("args, message", [
    (["fehlt.csv"], "Die Datei „fehlt.csv“ gibt es nicht."),
    ([], "Bitte die Datei angeben: manage.py import_population DATEI.csv [--county KÜRZEL] [--dry-run]."),
    ([ROOT_README], "ist keine CSV- oder XLSX-Datei (Endung .md)"),
    ([SAMPLE, "--county", "atlantis"], "Unbekannter Kreis 'atlantis'"),
    ([SAMPLE, "--as-of", "31.11.2021"], "Das Datum „31.11.2021“ gibt es nicht."),
    ([SAMPLE, "--as-of", "Silvester"], "--as-of erwartet ein Datum TT.MM.JJJJ"),
])
def test_bad_arguments_are_one_german_sentence_and_nothing_is_saved(neuss, args, message):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert snapshot() == before


def test_a_file_with_a_broken_row_saves_nothing_not_even_the_good_rows(neuss, tmp_path):
    broken = tmp_path / "kaputt.csv"
    broken.write_bytes(SAMPLE.read_bytes().replace(b"05162024;Neuss, Stadt;152731", b"05162024;Neuss, Stadt;x"))
    before = snapshot()

    with pytest.raises(CommandError, match="Zeile 11: Die Einwohnerzahl „x“ für den Gemeindeschlüssel 05162024"):
        run(broken)
    assert snapshot() == before


def test_a_file_naming_no_municipality_of_the_county_is_refused(demo):
    with pytest.raises(ValidationError) as error:
        population_import(table=_without_neuss(), county=County.objects.get(slug=RKN))
    assert error.value.messages == ["Die Datei enthält keine Kommune des Kreises „Rhein-Kreis Neuss“ (Abgleich über "
                                    "den Gemeindeschlüssel); nichts gespeichert."]


def test_without_a_county_a_file_naming_no_municipality_says_so_in_one_german_line(demo, tmp_path):
    others = tmp_path / "ohne-neuss.csv"
    others.write_bytes(SAMPLE.read_bytes().replace(b"05162024;Neuss, Stadt;152731\r\n", b""))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(others)
    assert str(error.value) == ("Die Datei enthält keine der hier erfassten Kommunen (Abgleich über den "
                                "Gemeindeschlüssel, alle Kreise); nichts gespeichert.")
    assert snapshot() == before


def test_a_failing_record_rolls_back_the_ones_saved_before_it(demo, monkeypatch):
    """All or nothing inside the service: the second municipality (Alfter, after Neuss) fails, Neuss is not kept."""
    table = parse_population_bytes(b"AGS;Gemeinde;Einwohner\n05162024;Neuss;152000\n05382004;Alfter;23000\n")
    before = snapshot()
    original = Municipality.full_clean

    def fail_for_alfter(self, *args, **kwargs):
        if self.name == "Alfter":
            raise ValidationError("Alfter: kaputt")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Municipality, "full_clean", fail_for_alfter)
    with pytest.raises(ValidationError, match="Alfter: kaputt"):
        population_import(table=table, as_of=date(2021, 12, 31), source="Testdaten")
    assert snapshot() == before


def _without_neuss():
    table = read_population_file(SAMPLE)
    return type(table)(rows=tuple(row for row in table.rows if row.ags != "05162024"), as_of=table.as_of,
                       table_code=table.table_code)
