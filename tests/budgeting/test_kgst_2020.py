"""A run starting in 2020 (issue 13): the KGSt workplace costs of the demo data begin in 2021
(fixtures/10_reference.yaml; the KGSt figures of 2020 were not found in a public source, so none are invented).
Every surface says in one German line which pay grade lacks the costs of which year, with no traceback: the
own-share page, the command line and the reports.
"""
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import logged_in_client

RSK = "rhein-sieg-kreis"
MISSING = re.compile(r"Für (E5|E9a|E11|S12) fehlen die Arbeitsplatzkosten \(KGSt\) für 2020\.")
REFUSED = "Die Berechnung ist mit diesen Daten nicht möglich: "
PERIOD = {"start": "2020-01", "end": "2029-12"}  # 120 months


def test_the_own_share_page_names_the_missing_year_and_pay_grade(demo_users):
    response = logged_in_client("finanzen-rsk").get(reverse("budgeting:calculation"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.findall(r'<p class="message error" role="alert">(.*?)</p>', html, re.S)
    assert len(errors) == 1 and errors[0].startswith(REFUSED)
    assert MISSING.fullmatch(errors[0].removeprefix(REFUSED)), errors
    assert "Traceback" not in html


def test_the_command_line_names_the_missing_year_and_pay_grade(demo):
    with pytest.raises(CommandError) as raised:
        call_command("own_share", "--county", RSK, "--from", "2020-01", "--to", "2029-12")
    assert MISSING.fullmatch(str(raised.value)), str(raised.value)


def test_the_report_command_names_the_missing_year_and_pay_grade(demo, tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("render_report", "kim", "--county", RSK, "--from", "2020-01", "--to", "2029-12",
                     "-o", str(tmp_path / "kim.pdf"))
    message = str(raised.value)
    assert message.startswith(REFUSED) and MISSING.fullmatch(message.removeprefix(REFUSED)), message
    assert not (tmp_path / "kim.pdf").exists()


def test_the_report_page_names_the_missing_year_and_pay_grade(demo_users):
    response = logged_in_client("finanzen-rsk").get(reverse("reports:report_preview", args=["kim"]), PERIOD)
    html = response.content.decode()
    assert response.status_code == 400
    errors = re.findall(r'class="message error" role="alert">(.*?)</', html, re.S)
    assert len(errors) == 1 and MISSING.fullmatch(errors[0].removeprefix(REFUSED)), errors
    assert "Traceback" not in html
