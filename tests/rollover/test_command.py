"""``manage.py rollover`` as its own process: the lists, --apply once, one-line errors with a non-zero exit."""
import pytest

from tests.support import demo_database, run_command


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return demo_database(tmp_path_factory, "rollover")


def lines(result) -> list[str]:
    return result.stdout.replace("\u00a0", " ").splitlines()


def test_the_preview_prints_the_three_lists_and_saves_nothing(env):
    result = run_command(env, "rollover", "--county", "rhein-sieg-kreis", "--year", "2022")
    assert result.returncode == 0 and result.stderr == ""
    out = lines(result)
    assert out[0] == "Fortschreibung Rhein-Sieg-Kreis 2022 → 2023 (Vorschau, nichts gespeichert)"
    # First the warning: the Land's Festbetrag of the KI-Grundförderung ends 31.12.2022 (fixtures/10_reference.yaml).
    assert out[1].startswith("Achtung: KI-Grundförderung (inkl. Sprachmittlerpool): 2023 nur 50.000 € Förderung "
                             "statt 220.000 € in 2022 (170.000 € weniger)")
    assert "gilt nur bis 31.12.2022." in out[1]
    out = out[1:]
    assert out[1] == "Übernommen (32):"
    assert out[2] == ("  Haushaltsansatz: 31.10.01-KIM-CM KIM Case Management – Eigenanteil der 2020 besetzten "
                      "Stellen im KI: 121.140 € für 2023 – wie 2022")
    assert ("  Stelle: KI-B2-04 Case Management Stadt Troisdorf (1,0 VZÄ) – läuft weiter") in out
    assert ("  Bescheid: KOMM-AN NRW: Programmteil II: erwartet 01.01.2023–31.12.2023, 60.000 € – Annahme wie "
            "Bescheid 01.01.2021–31.12.2022; Verlängerung durch das Land offen") in out
    assert out[-5:] == ["Endet / nicht übernommen (0):", "  –", "Bereits vorhanden (0):", "  –",
                        "Summe der übernommenen Haushaltsansätze 2023: 171.140 €"]
    again = run_command(env, "rollover", "--county", "rhein-sieg-kreis", "--year", "2022")
    assert lines(again)[2] == "Übernommen (32):"  # the preview wrote nothing


def test_apply_takes_it_into_the_plan_once(env):
    done = run_command(env, "rollover", "--county", "rhein-sieg-kreis", "--year", "2022", "--apply")
    assert done.returncode == 0
    assert lines(done)[:2] == ["Fortschreibung Rhein-Sieg-Kreis 2022 → 2023: in den Plan übernommen, "
                               "2 Haushaltsansätze und 11 erwartete Bescheide angelegt",
                               "Die Bescheide sind als „erwartet (noch kein Bescheid)“ markiert: Mittel lassen sich "
                               "erst abrufen, wenn das Bescheiddatum eingetragen ist."]
    again = run_command(env, "rollover", "--county", "rhein-sieg-kreis", "--year", "2022", "--apply")
    out = lines(again)
    assert again.returncode == 0
    assert out[0] == "Fortschreibung Rhein-Sieg-Kreis 2022 → 2023: nichts Neues, der Plan 2023 hat schon alles"
    assert "Übernommen (19):" in out and "Bereits vorhanden (13):" in out
    assert ("  Haushaltsansatz: 31.10.01-KIM-CM KIM Case Management – Eigenanteil der 2020 besetzten Stellen im KI: "
            "121.140 € für 2023 – vorhanden, nicht überschrieben (2022: 121.140 €)") in out


@pytest.mark.parametrize("args, message", [
    (["--county", "rhein-sieg-kreis", "--year", "20x2"],
     "„20x2“ ist kein Haushaltsjahr; bitte eine Jahreszahl wie 2022 angeben."),
    (["--county", "rhein-sieg-kreis", "--year", "2100", "--apply"],
     "Das Haushaltsjahr 2100 liegt außerhalb von 2000 bis 2099."),
    (["--county", "nirgendwo", "--year", "2022"], "Einen Kreis mit dem Kürzel „nirgendwo“ gibt es nicht."),
])
def test_an_error_is_one_line_and_a_non_zero_exit(env, args, message):
    result = run_command(env, "rollover", *args)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"CommandError: {message}\n"


def test_a_missing_argument_is_one_line_too(env):
    result = run_command(env, "rollover", "--county", "rhein-sieg-kreis")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
