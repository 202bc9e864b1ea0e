"""``manage.py import_actuals`` as its own process: output, one-line errors, exit codes, --dry-run, --undo."""
import pytest

from tests.support import demo_database, run_command

from .helpers import csv


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return demo_database(tmp_path_factory, "actuals")


def write(tmp_path, content: bytes, name="ist.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_an_import_prints_rows_and_totals_and_can_be_undone(env, tmp_path):
    path = write(tmp_path, csv("KI-B1-01;01.2022;Personalkosten;9.000,00", "KI-B1-01;07.2022;PK;9.100,00"))
    dry = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path, "--dry-run")
    assert dry.returncode == 0
    assert dry.stdout.splitlines()[0] == "Probelauf, nichts gespeichert: ist.csv, 2 Zeilen: 1 neu, 1 ersetzt, 0 unverändert."
    done = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path)
    assert done.returncode == 0 and done.stdout.replace("\u00a0", " ").splitlines() == [
        "Import Nr. 2 gespeichert: ist.csv, 2 Zeilen: 1 neu, 1 ersetzt, 0 unverändert.",
        "  01.2022: 9.000,00 €", "  07.2022: 9.100,00 €", "  Summe: 18.100,00 €"]
    again = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path)
    assert "2 Zeilen: 0 neu, 0 ersetzt, 2 unverändert" in again.stdout
    assert run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", "--undo", 3).returncode == 0
    undo = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", "--undo", 2)
    assert undo.returncode == 0 and undo.stdout == ("Import Nr. 2 (ist.csv) rückgängig gemacht: 2 Werte "
                                                    "wiederhergestellt oder entfernt.\n")


def test_a_bad_file_is_one_line_and_a_non_zero_exit(env, tmp_path):
    path = write(tmp_path, csv("KI-B1-01;13.2022;PK;1", "KI-X;01.2022;PK;abc"))
    result = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("CommandError: Zeile 2, Spalte Monat: „13.2022“ ist kein Monat (MM.JJJJ). "
                             "(und 2 weitere Fehler; nichts gespeichert)\n")


@pytest.mark.parametrize("args, message", [
    (["--county", "gibt-es-nicht", "x.csv"], "Einen Kreis mit dem Kürzel „gibt-es-nicht“ gibt es nicht."),
    (["--county", "rhein-sieg-kreis", "fehlt.csv"], "Die Datei fehlt.csv gibt es nicht."),
    (["--county", "rhein-sieg-kreis", "--undo", "999"], "Einen Import Nr. 999 gibt es für Rhein-Sieg-Kreis nicht."),
])
def test_wrong_arguments_are_one_line(env, args, message):
    result = run_command(env, "import_actuals", *args)
    assert result.returncode == 1 and result.stderr.strip() == f"CommandError: {message}"


def test_other_headers_with_map_and_a_fixed_cost_type(env, tmp_path):
    path = write(tmp_path, "Stelle;Buchungsmonat;Ist\nKI-B3-01;09.2022;5.300,00\n".encode(), "lohn.csv")
    refused = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path, "--dry-run")
    assert refused.returncode == 1 and "Es fehlen die Spalten Stellennummer, Monat, Kostenart und Betrag" in refused.stderr
    result = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path, "--dry-run", "--map",
                         "Stelle=Stellennummer", "--map", "Buchungsmonat=Monat", "--map", "Ist=Betrag",
                         "--kostenart", "Personalkosten")
    assert result.returncode == 0 and "1 Zeilen: 1 neu" in result.stdout
