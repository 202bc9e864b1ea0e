"""Issue 9 §4: no export of the application turns a user's text into a spreadsheet formula.

Every list page that offers ?_export= is found in the URL configuration and exported as CSV and XLSX
with attack payloads in the demo data: position titles, a coverage source's name, a programme's funder,
a deadline's text, and names starting with a tab or a carriage return.
"""
import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tables2.export.views import ExportMixin

from budgeting.models import Appropriation, CoverageSource, Scenario
from kimportal.exports import FORMULA_TRIGGERS, neutralise_cell, neutralise_row
from actuals.models import ImportBatch
from kimportal.models import County, Partner
from programmes.models import FocusGoal, GrantDecision, Programme
from staffing.models import CaseManagementAllocation, Position

RSK = "rhein-sieg-kreis"
HYPERLINK = '=HYPERLINK("http://evil.example","x")'
# The payload each list must carry (neutralised) in its export; set up in attacked_site below.
PAYLOADS = {
    "staffing:position_list": HYPERLINK,
    "staffing:allocation_list": "\r=1+1",
    "programmes:programme_list": "+cmd",
    "programmes:grantdecision_list": "@evil",
    "programmes:focusgoal_list": "\t=1+1",
    "budgeting:coverage_list": "@SUM(A1)",
    "budgeting:appropriation_list": "=2*3",
    "budgeting:scenario_list": "-1+1",
    "budgeting:deadlines": "-2+3",
    "audit:changelog": HYPERLINK,  # the creation of that position, logged by the audit trail
    "staffing:partner_list": "=1+2",
    "drawdowns:overview": "+evil, 01.01.2022–31.12.2022",  # a decision named by its programme and period
    "actuals:import_list": "@ist.csv",
    "proofs:overview": "+evil, 01.01.2022–31.12.2022",  # the proofs of use of 2022, the newest year that has ended
}


def export_urls():
    """(name, path) of every page that exports its table, wherever it lives in the URL configuration."""
    found = []

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters:
                view = getattr(p.callback, "view_class", None)
                if view is not None and issubclass(view, ExportMixin):
                    name = f"{namespace}:{p.name}" if namespace else p.name
                    found.append((name, reverse(name)))

    walk(get_resolver().url_patterns)
    return found


EXPORTS = export_urls()


@pytest.fixture(scope="module")
def attacked_site(django_db_setup, django_db_blocker):
    """The demo data with an attack payload in every exported list, once for this module, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--with-demo-users", verbosity=0)
        county = County.objects.get(slug=RSK)
        position = Position.objects.filter(county=county).order_by("pk").first()
        for title in (HYPERLINK, "=1+1"):
            position.pk, position.id, position.title = None, None, title
            position.fixed_term_until = date(2099, 12, 31)
            position.save()
        allocation = CaseManagementAllocation.objects.filter(county=county).first()
        CaseManagementAllocation.objects.filter(pk=allocation.pk).update(name="\r=1+1")
        Programme.objects.create(county=county, code="evil", name="Eigenes Programm", funder="+cmd")
        GrantDecision.objects.filter(county=county).update(reference="@evil")
        FocusGoal.objects.filter(county=county).update(title="\t=1+1")
        source = CoverageSource.objects.filter(county=county).first()
        CoverageSource.objects.filter(pk=source.pk).update(name="@SUM(A1)")
        CoverageSource.objects.create(county=county, name="-2+3", balance=Decimal("18.5"),
                                      balance_as_of=date(2022, 1, 1), usable_until=date(2099, 6, 30),
                                      proof_of_use_due=date(2099, 6, 30))
        Appropriation.objects.filter(budget_line__county=county).update(note="=2*3")
        Scenario.objects.filter(pk=Scenario.objects.filter(county=county).order_by("pk")[0].pk).update(name="-1+1")
        Partner.objects.create(county=county, name="=1+2", kind=Partner.Kind.WELFARE)
        evil = Programme.objects.create(county=county, code="evil-decision", name="+evil")
        GrantDecision.objects.create(county=county, programme=evil, period_start=date(2022, 1, 1),
                                     period_end=date(2022, 12, 31), amount=Decimal("1000"))
        ImportBatch.objects.create(county=county, file_name="@ist.csv", rows=0, totals={})
        yield
        transaction.set_rollback(True)


@pytest.fixture
def ki(client, attacked_site, db):
    client.login(username="ki-rsk", password="kimportal-demo")
    return client


def export(client, path, export_format):
    """The export as KI staff see it, or as the finance officer where the page is theirs (the audit log)."""
    for username in ("ki-rsk", "finanzen-rsk"):
        client.login(username=username, password="kimportal-demo")
        response = client.get(path, {"_export": export_format, "zeitraum": "alle"})
        if response.status_code != 403:
            break
    assert response.status_code == 200, (path, response.status_code)
    return response


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8"))) for cell in row]


def xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_text_that_starts_like_a_formula_is_prefixed_with_an_apostrophe():
    assert [neutralise_cell(text) for text in ("=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1")] == [
        "'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1"]


def test_ordinary_text_and_typed_values_stay_as_they_are():
    values = ["Alfter", "", "KIM – Baustein 2", "'schon Text", "—", Decimal("-18"), -1, date(2022, 1, 1), None]
    assert neutralise_row(values) == values


def test_every_list_with_an_export_has_a_payload_here():
    names = {name for name, _ in EXPORTS}
    assert len(names) >= 9 and names <= set(PAYLOADS), names - set(PAYLOADS)


@pytest.mark.parametrize("name, path", EXPORTS, ids=[name for name, _ in EXPORTS])
def test_the_csv_export_carries_no_formula(ki, name, path):
    response = export(ki, path, "csv")
    assert response["Content-Type"].startswith("text/csv")
    cells = csv_cells(response.content)
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    if name in PAYLOADS:
        assert "'" + PAYLOADS[name] in cells
    if name == "staffing:position_list":
        assert "'=1+1" in cells


@pytest.mark.parametrize("name, path", EXPORTS, ids=[name for name, _ in EXPORTS])
def test_the_xlsx_export_carries_no_formula(ki, name, path):
    response = export(ki, path, "xlsx")
    cells = xlsx_cells(response.content)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in texts)
    assert not [cell.value for cell in texts if cell.value.startswith(FORMULA_TRIGGERS)]
    if name in PAYLOADS:
        # XML reads a carriage return back as a line feed; the apostrophe in front is what counts.
        assert ("'" + PAYLOADS[name]).replace("\r", "\n") in [cell.value for cell in texts]


def test_amounts_stay_numbers_beside_a_neutralised_name_in_the_xlsx_export(ki):
    response = ki.get(reverse("budgeting:coverage_list"), {"_export": "xlsx"})
    cells = xlsx_cells(response.content)
    row = next(cell.row for cell in cells if cell.value == "'-2+3")
    balance = [cell for cell in cells if cell.row == row and cell.data_type == "n" and cell.value == 18.5]
    assert balance, [(cell.value, cell.data_type) for cell in cells if cell.row == row]


def test_the_own_share_csv_keeps_scenario_names_as_text(attacked_site, db):
    out = io.StringIO()
    call_command("own_share", "--county", RSK, "--from", "2021-12", "--to", "2022-12", "--scenario=-1+1",
                 "--format", "csv", stdout=out)
    every_row = list(csv.reader(io.StringIO(out.getvalue())))
    rows = every_row[:every_row.index([])]  # the blocks; the Kreisumlage follows after an empty row
    cases = {row[0] for row in rows[1:]}
    assert "'-1+1" in cases and not any(cell.startswith(FORMULA_TRIGGERS) for row in every_row for cell in row)
    # The amounts stay plain decimals (numbers to a spreadsheet), not neutralised text.
    assert rows[-1][2] == "Summe" and all(Decimal(cell) > 0 for cell in rows[-1][4:-1])  # the last: "source"
