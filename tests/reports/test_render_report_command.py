"""`manage.py render_report`: a PDF file for batch runs; bad arguments give one line, a non-zero exit, no file."""
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import pdf_text

pytestmark = pytest.mark.usefixtures("demo")

COUNTY = ["--county", "rhein-sieg-kreis"]
V2 = "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"


def test_the_kim_paper_for_a_period_and_a_scenario_is_written_to_the_file(tmp_path):
    target = tmp_path / "kim.pdf"
    out = StringIO()
    call_command("render_report", "kim", *COUNTY, "--from", "2021-12", "--to", "2022-12", "--scenario", V2,
                 "-o", str(target), stdout=out)
    text = pdf_text(target.read_bytes())
    assert "150.669 €" in text and "Risikospanne: 510.330 € – 578.466 €" in text
    assert "Variante 1" not in text
    assert out.getvalue().startswith(f"{target}: Kommunales Integrationsmanagement (KIM)")
    assert list(tmp_path.iterdir()) == [target]


def test_the_staffing_plan_takes_a_fiscal_year(tmp_path):
    target = tmp_path / "stellenplan.pdf"
    call_command("render_report", "stellenplan", *COUNTY, "--year", "2022", "-o", str(target), stdout=StringIO())
    assert "Stellen im Haushaltsjahr 2022" in pdf_text(target.read_bytes())


@pytest.mark.parametrize("args, message", [
    (["unbekannt", *COUNTY],
     "Unbekannter Bericht „unbekannt“ (bekannt: kim, risiko, haushalt, stellenplan, ziele, antraege)"),
    (["kim", "--county", "atlantis"], "Unbekannter Kreis 'atlantis'"),
    (["kim"], "Bitte den Kreis mit --county angeben"),
    (["kim", *COUNTY, "--from", "2021-13", "--to", "2022-12"], "--from: Bitte einen Monat"),
    (["kim", *COUNTY, "--from", "2022-12", "--to", "2021-12"], "--to: Der letzte Monat liegt vor dem ersten."),
    (["kim", *COUNTY, "--from", "2021-12"], "Bitte ersten und letzten Monat angeben"),
    (["kim", *COUNTY, "--scenario", "Variante 9"], "--scenario: Unbekanntes Szenario „Variante 9“"),
    (["kim", *COUNTY, "--year", "2022"], "Der Bericht 'kim' kennt --year nicht."),
    (["stellenplan", *COUNTY, "--year", "zweitausend"], "--year: Bitte das Haushaltsjahr als Zahl angeben"),
])
def test_bad_arguments_give_one_line_and_no_file(tmp_path, args, message):
    target = tmp_path / "vorlage.pdf"
    with pytest.raises(CommandError) as error:
        call_command("render_report", *args, "-o", str(target), stdout=StringIO())
    assert message in str(error.value) and "\n" not in str(error.value)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_output_file_or_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Bitte die Zieldatei mit -o angeben"):
        call_command("render_report", "kim", *COUNTY, stdout=StringIO())
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("render_report", "kim", *COUNTY, "-o", str(tmp_path / "fehlt" / "kim.pdf"), stdout=StringIO())
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_option_is_one_line_on_stderr_with_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("render_report", "kim", *COUNTY, "--colour", "blau")
    assert exit_.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
