"""`manage.py render_report`: a PDF file for batch runs; bad arguments give one line, a non-zero exit, no file."""
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.registry import get_report
from reports.rendering import paper_html
from reports.selectors import paper_context

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


def test_the_haushalt_overview_takes_a_fiscal_year_as_january_to_december(tmp_path):
    """A fresh user's finding: "Der Bericht 'haushalt' kennt --year nicht." The overview is by Haushaltsjahr."""
    target = tmp_path / "haushalt.pdf"
    out = StringIO()
    call_command("render_report", "haushalt", *COUNTY, "--year", "2022", "-o", str(target), stdout=out)
    text = pdf_text(target.read_bytes())
    assert "Übersicht 01.01.2022 – 31.12.2022" in text and "Haushaltsjahr 2021" not in text
    # Landeszuschüsse 1.216.500 + 162.100 + 270.000 (not split) = 1.648.600 €; Eigenmittel 642.215 €.
    assert "2022 1.216.500 € 162.100 € 270.000 € 80.000 € 642.215 € 2.290.815 €" in text
    assert "Zeitraum 01.01.2022 – 31.12.2022" in out.getvalue()


def test_the_kim_paper_of_a_county_under_a_budget_recovery_plan_says_so_beside_the_provision(tmp_path):
    from kimportal.models import County

    County.objects.filter(slug="rhein-sieg-kreis").update(budget_recovery_plan=True)
    target = tmp_path / "kim.pdf"
    call_command("render_report", "kim", *COUNTY, "-o", str(target), stdout=StringIO())
    text = " ".join(pdf_text(target.read_bytes()).split())
    note = "Haushaltssicherung: Für den Rhein-Sieg-Kreis gilt ein Haushaltssicherungskonzept (§ 76 GO NRW)."
    assert note in text
    # Right after the sentence on the unplanned provision (section IV), before the figures of earlier papers.
    html = paper_html(paper_context(get_report("kim"), County.objects.get(slug="rhein-sieg-kreis"),
                                    get_report("kim").default_params(County.objects.get(slug="rhein-sieg-kreis"))))
    assert re.search(r"den weder ein Haushaltsansatz noch Deckungsmittel tragen\.</p>\s*<p class=\"budget-recovery\">"
                     + re.escape(note), html)
    assert ("Integrationspauschale (§ 14c TIntG): Restbetrag 450.000 € (Stand 27.05.2021); nach dem 30.11.2021 "
            "nicht mehr verwendbar, sofern nicht verlängert (Verlängerung offen)") in text


def test_the_kim_paper_of_a_county_without_a_budget_recovery_plan_has_no_note(tmp_path):
    target = tmp_path / "kim.pdf"
    call_command("render_report", "kim", *COUNTY, "-o", str(target), stdout=StringIO())
    assert "Haushaltssicherungskonzept" not in pdf_text(target.read_bytes())


@pytest.mark.parametrize("args, message", [
    (["unbekannt", *COUNTY],
     "Unbekannter Bericht „unbekannt“ (bekannt: kim, risiko, haushalt, stellenplan, ziele, antraege, verwendungsnachweis)"),
    (["kim", "--county", "atlantis"], "Unbekannter Kreis 'atlantis'"),
    (["kim"], "Bitte den Kreis mit --county angeben"),
    (["kim", *COUNTY, "--from", "2021-13", "--to", "2022-12"], "--from: Bitte einen Monat"),
    (["kim", *COUNTY, "--from", "2022-12", "--to", "2021-12"], "--to: Der letzte Monat liegt vor dem ersten."),
    (["kim", *COUNTY, "--from", "2021-12"], "Bitte ersten und letzten Monat angeben"),
    (["kim", *COUNTY, "--scenario", "Variante 9"], "--scenario: Unbekanntes Szenario „Variante 9“"),
    (["kim", *COUNTY, "--year", "2022"],
     "Der Bericht 'kim' kennt --year nicht; möglich sind --from, --to, --scenario (und --county, -o)."),
    (["stellenplan", *COUNTY, "--from", "2022-01", "--to", "2022-12"],
     "Der Bericht 'stellenplan' kennt --from, --to nicht; möglich sind --year (und --county, -o)."),
    (["antraege", *COUNTY, "--year", "2022"], "Der Bericht 'antraege' kennt --year nicht; möglich sind nur --county"),
    (["haushalt", *COUNTY, "--year", "2022", "--from", "2022-01"], "Bitte entweder --year oder --from/--to angeben"),
    (["haushalt", *COUNTY, "--year", "22"], "--year: Bitte das Haushaltsjahr als Zahl angeben"),
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
