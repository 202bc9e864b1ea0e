"""Lean lists (issue 13): ?per_page is capped on every list; dates and money render as before, without a template
or an ``inspect.signature`` per cell (kimportal.tables.LeanTable), and the page is the same HTML as django-tables2's
own ``table.html`` makes of it.

Figures from the demo data: the Rhein-Sieg-Kreis has 19 positions (the first, „Koordination Strategische Steuerung 1“,
from 01.09.2021, fixed-term until 31.12.2022, 1,0 VZÄ), the Integrationspauschale 450.000,00 € as of 27.05.2021.
"""
import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.template.defaultfilters import date as date_filter
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

import kimportal.tables
from kimportal.pagination import MAX_PER_PAGE, capped_per_page
from kimportal.tables import GermanDateColumn, LeanTable, MoneyColumn
from staffing.models import Position
from tests.conftest import logged_in_client

RSK = "rhein-sieg-kreis"
NBSP = "\u00a0"

# Every django-tables2 list with the cap, with a user who may open it, and its default page size.
LISTS = [
    ("staffing:position_list", "ki-rsk", 25),
    ("staffing:allocation_list", "ki-rsk", 25),
    ("staffing:partner_list", "ki-rsk", 25),
    ("budgeting:coverage_list", "finanzen-rsk", 25),
    ("budgeting:appropriation_list", "finanzen-rsk", 25),
    ("budgeting:scenario_list", "finanzen-rsk", 25),
    ("budgeting:deadlines", "ki-rsk", 50),
    ("audit:changelog", "finanzen-rsk", 50),
    ("proofs:overview", "finanzen-rsk", 200),
]


@pytest.fixture
def ki(demo_users):
    return logged_in_client("ki-rsk")


def page_size(client, name, per_page) -> int:
    response = client.get(reverse(name), {"per_page": per_page})
    assert response.status_code == 200, (name, per_page, response.status_code)
    return response.context["table"].paginator.per_page


# --- ?per_page -----------------------------------------------------------------------------------------------


def test_per_page_is_a_whole_number_between_one_and_the_maximum():
    assert MAX_PER_PAGE == 500
    assert capped_per_page(100, default=25) == 100
    assert capped_per_page("500", default=25) == 500
    assert capped_per_page(501, default=25) == 500
    assert capped_per_page(10**9, default=25) == 500
    assert [capped_per_page(value, default=25) for value in (0, -3, "x", "", None, "2.5")] == [25] * 6


@pytest.mark.parametrize("name, username, default", LISTS, ids=[name for name, _, _ in LISTS])
def test_every_list_caps_per_page_and_keeps_its_default(demo_users, name, username, default):
    client = logged_in_client(username)
    assert page_size(client, name, 1_000_000) == MAX_PER_PAGE
    assert page_size(client, name, 10) == 10
    # Not a number, zero or negative: the page size the list has without ?per_page (django-tables2 failed on 0).
    for value in ("viele", "0", "-5"):
        assert page_size(client, name, value) == default, (name, value)


def test_a_huge_per_page_shows_no_more_than_the_maximum_rows(ki):
    first = Position.objects.filter(county__slug=RSK).order_by("pk")[0]
    Position.objects.bulk_create([Position(county=first.county, title=f"Zusatzstelle {i}", module=first.module,
                                           pay_grade=first.pay_grade, fte=Decimal("1"), start_on=date(2022, 1, 1))
                                  for i in range(500)])
    response = ki.get(reverse("staffing:position_list"), {"per_page": 100000})
    assert len(response.context["table"].page.object_list) == MAX_PER_PAGE
    assert response.context["table"].paginator.count == 519
    assert response.content.decode().count('href="/stellen/') >= MAX_PER_PAGE


# --- cells as before ----------------------------------------------------------------------------------------


def test_dates_and_fte_of_the_position_list_read_as_before(ki):
    html = ki.get(reverse("staffing:position_list")).content.decode()
    row = re.search(r"<tr[^>]*>\s*<td ><a href=\"/stellen/\d+/\">Koordination Strategische Steuerung 1</a></td>"
                    r"(.*?)</tr>", html, re.S).group(1)
    # VZÄ, Entgeltgruppe, Baustein, Förderstelle, Organisationseinheit, Status, Beginn, befristet bis, …
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert (cells[0], cells[1], cells[6], cells[7]) == ("1,0", "E11", "01.09.2021", "31.12.2022")
    assert '<td class="num">1,0</td>' in row


def test_an_empty_date_shows_the_dash(ki):
    position = Position.objects.filter(county__slug=RSK).order_by("pk")[0]
    Position.objects.filter(pk=position.pk).update(fixed_term_until=None)
    html = ki.get(reverse("staffing:position_list")).content.decode()
    row = re.search(rf"{re.escape(position.title)}</a></td>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert (cells[6], cells[7]) == ("01.09.2021", "—")


def test_money_and_dates_of_the_coverage_list_read_as_before(demo_users):
    html = logged_in_client("finanzen-rsk").get(reverse("budgeting:coverage_list")).content.decode()
    assert f'<td class="num">450.000,00{NBSP}€</td>' in html
    assert "<td >27.05.2021</td>" in html and "<td >30.11.2021</td>" in html


@pytest.mark.parametrize("value", [date(2022, 12, 31), date(2021, 1, 1), datetime(2022, 3, 4, 23, 30)])
def test_the_german_date_column_writes_what_the_date_filter_wrote(value):
    assert GermanDateColumn().render(value) == date_filter(value, "d.m.Y")
    assert GermanDateColumn(format="SHORT_DATE_FORMAT").render(value) == date_filter(value, "SHORT_DATE_FORMAT")


def test_the_money_column_writes_euros_with_cents():
    assert MoneyColumn().render(Decimal("1234.5")) == f"1.234,50{NBSP}€"
    assert MoneyColumn(places=0).render(Decimal("158643.5")) == f"158.644{NBSP}€"
    assert MoneyColumn().value(Decimal("1234.50")) == Decimal("1234.50")


def test_exports_carry_typed_dates_and_numbers(ki):
    url = reverse("staffing:position_list")
    rows = list(csv.reader(io.StringIO(ki.get(url, {"_export": "csv"}).content.decode("utf-8"))))
    header, first = rows[0], next(row for row in rows if row[0] == "Koordination Strategische Steuerung 1")
    assert first[header.index("Beginn")] == "2021-09-01" and first[header.index("VZÄ")] == "1"
    sheet = load_workbook(io.BytesIO(ki.get(url, {"_export": "xlsx"}).content)).active
    cells = {cell.value: cell for cell in sheet[1]}
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Koordination Strategische Steuerung 1")
    assert row[cells["Beginn"].column - 1].value == datetime(2021, 9, 1)
    assert row[cells["VZÄ"].column - 1].data_type == "n"


# --- the same HTML as django-tables2's template -------------------------------------------------------------

PAGES = [
    ("staffing:position_list", "ki-rsk"), ("staffing:position_list", "admin"), ("staffing:allocation_list", "ki-rsk"),
    ("staffing:partner_list", "ki-rsk"), ("budgeting:coverage_list", "finanzen-rsk"),
    ("budgeting:appropriation_list", "finanzen-rsk"), ("budgeting:scenario_list", "finanzen-rsk"),
    ("budgeting:deadlines", "ki-rsk"),
]


def squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("name, username", PAGES, ids=[f"{name} {user}" for name, user in PAGES])
def test_the_lean_table_renders_what_django_tables2_renders(demo_users, name, username):
    response = logged_in_client(username).get(reverse(name), {"per_page": 500})
    table = response.context["table"]
    assert isinstance(table, LeanTable) and table.template_name == kimportal.tables.LEAN_TABLE_TEMPLATE
    assert len(table.page.object_list) > 0
    lean = table.as_html(response.wsgi_request)
    table.template_name = "django_tables2/table.html"
    assert squeeze(lean) == squeeze(table.as_html(response.wsgi_request))


def test_each_column_is_inspected_once_not_per_cell(ki, monkeypatch):
    calls = []
    original = kimportal.tables.signature

    def counting(function):
        calls.append(function)
        return original(function)

    monkeypatch.setattr(kimportal.tables, "signature", counting)
    response = ki.get(reverse("staffing:position_list"))
    table = response.context["table"]
    assert len(table.page.object_list) == 19
    assert 0 < len(calls) <= len(table.columns.names())


def cell_table(base):
    """A table of ``base`` whose render methods name different cell arguments, as django-tables2 passes them."""

    def render_a(self, value):
        return f"{value}!"

    def render_b(self, record, bound_column):
        return f"{record['a']}:{bound_column.name}"

    def render_c(self, **kwargs):
        return ",".join(sorted(kwargs))

    def render_d(self, value, missing):  # an argument no cell has: django-tables2 does not call it
        return "never"

    columns = {name: tables.Column(accessor="a") for name in "abcdf"}
    columns["e"] = tables.Column(accessor="a", localize=False)
    class_name = f"Cells{base.__name__}"
    return type(class_name, (base,), {**columns, "render_a": render_a, "render_b": render_b, "render_c": render_c,
                                      "render_d": render_d, "Meta": type("Meta", (), {"sequence": tuple("abcdef")})})


def test_cell_arguments_are_passed_as_django_tables2_passes_them():
    data = [{"a": 1234}, {"a": "<b>"}]
    request = RequestFactory().get("/")
    plain_class, lean_class = cell_table(tables.Table), cell_table(LeanTable)
    plain, lean = plain_class(data), lean_class(data)
    assert [list(row) for row in lean.rows] == [list(row) for row in plain.rows]
    assert [list(row)[:2] for row in lean.rows] == [["1234!", "1234:b"], ["<b>!", "<b>:b"]]
    assert list(lean.rows)[0].get_cell("c") == "bound_column,bound_row,column,record,table,value"
    lean_html = lean.as_html(request)
    assert "&lt;b&gt;!" in lean_html and "<b>" not in lean_html  # escaped as in the template
    assert "<td >1234</td>" in lean_html and "<td >1.234</td>" in lean_html  # e unlocalised, f localised
    assert squeeze(lean_html) == squeeze(plain_class(data).as_html(request))
