"""``manage.py import_actuals`` as its own process: output, one-line errors, exit codes, --dry-run, --undo, --user."""
import getpass
import json

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
    assert undo.returncode == 0 and undo.stdout == ("Import Nr. 2 (ist.csv) rückgängig gemacht: 1 Wert "
                                                    "wiederhergestellt, 1 entfernt.\n")


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
    assert result.returncode == 0 and "1 Zeile: 1 neu" in result.stdout


def batches(env) -> list[dict]:
    """The imports of the command's database: pk, user, origin, undone_by, undone_origin."""
    code = ("import json; from actuals.models import ImportBatch as B; print(json.dumps(list(B.objects.order_by('pk')"
            ".values('pk', 'user__username', 'origin', 'undone_by__username', 'undone_origin'))))")
    return json.loads(run_command(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


def test_user_records_who_imported_and_without_it_the_command_line_and_the_os_user(env, tmp_path):
    run_command(env, "shell", "-c", "from kimportal.models import User, County; User.objects.get_or_create("
                "username='ki-rsk', county=County.objects.get(slug='rhein-sieg-kreis'))")
    path = write(tmp_path, csv("KI-B1-01;10.2022;PK;9.100,00"))
    unknown = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path, "--user", "niemand")
    assert unknown.returncode == 1 and unknown.stderr == "CommandError: Einen Benutzer „niemand“ gibt es nicht.\n"
    named = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path, "--user", "ki-rsk")
    number = int(named.stdout.split()[2])
    anonymous = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", "--undo", number)
    assert anonymous.returncode == 0
    by_pk = {batch["pk"]: batch for batch in batches(env)}
    assert by_pk[number]["user__username"] == "ki-rsk" and by_pk[number]["origin"] == ""
    assert by_pk[number]["undone_origin"] == f"Kommandozeile ({getpass.getuser()})"
    again = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path)
    latest = batches(env)[-1]
    assert again.returncode == 0 and latest["user__username"] is None
    assert latest["origin"] == f"Kommandozeile ({getpass.getuser()})"


def test_a_planned_position_is_imported_with_a_warning_on_stderr(env, tmp_path):
    path = write(tmp_path, csv("KI-B1-02;11.2022;PK;9.100,00", "KI-B2-01;11.2022;PK;8.000,00"))
    result = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path, "--dry-run")
    assert result.returncode == 0 and result.stdout.startswith("Probelauf, nichts gespeichert: ist.csv, 2 Zeilen")
    assert result.stderr == ("Warnung: Stelle KI-B1-02 ist im Stellenplan noch als „geplant“ geführt – "
                             "Status prüfen.\n")


def test_a_month_outside_the_term_is_one_line(env, tmp_path):
    path = write(tmp_path, csv("KI-B1-01;08.2021;PK;1,00"))
    result = run_command(env, "import_actuals", "--county", "rhein-sieg-kreis", path)
    assert result.returncode == 1 and result.stderr == (
        "CommandError: Zeile 2, Spalte Monat: „08.2021“ liegt außerhalb der Laufzeit der Stelle (01.09.2021–…). "
        "(nichts gespeichert)\n")


@pytest.mark.parametrize("args", [["--county", "rhein-sieg-kreis", "--undo", "abc"], ["x.csv"],
                                  ["--county", "rhein-sieg-kreis", "x.csv", "--unbekannt"]])
def test_wrong_arguments_are_one_line_as_in_every_command_of_the_project(env, args):
    result = run_command(env, "import_actuals", *args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("Fehler: ") and len(result.stderr.splitlines()) == 1
