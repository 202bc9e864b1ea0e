"""Issue 10: input that must not be misread.

"1.141.046.80" typed as an amount was stored as 114.104.680,00 €, and an FTE of "0.375" was read as 375.
One parser (kimportal/numbers.py) now reads every number people type – form fields, the admin, the
allocation page's live sum (numbers.js) – and refuses what it cannot read for certain, showing the form it
expects. These tests pin its rule with real figures, check that every decimal form field of the app uses it,
and that the browser's copy of the rule answers like the server's.
"""
import importlib
import json
import pkgutil
import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from budgeting.models import Appropriation, BudgetLine
from kimportal.forms import GermanDecimalField
from kimportal.models import Municipality
from kimportal.money import format_money, format_number
from kimportal.numbers import NumberFormatError, parse_decimal
from programmes.models import GrantDecision
from staffing.models import Position
from tests.staffing.test_views import allocation_data, position_data, rsk_allocation, saved_days
from tests.test_access import RSK, site  # noqa: F401  (site: the demo, loaded once for this module)
from tests.test_number_inputs import field_html, grant_decision_post, logged_in

MONEY_HINT = "(Punkt für Tausender, Komma für Cent)"
NUMBERS_JS = Path(settings.BASE_DIR) / "kimportal" / "static" / "kimportal" / "numbers.js"


def refusal(text, **kwargs) -> NumberFormatError:
    with pytest.raises(NumberFormatError) as caught:
        parse_decimal(text, **kwargs)
    return caught.value


# --- accepted forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, value", [
    ("1141046,80", "1141046.80"),          # Bewilligter Betrag, written without groups
    ("1.141.046,80", "1141046.80"),        # … with thousands dots
    ("1 141 046,80", "1141046.80"),        # … with spaces
    ("1\u00a0141\u00a0046,80", "1141046.80"),  # … with no-break spaces, as copied from a PDF
    ("1.141.046,80 €", "1141046.80"),      # … with the euro sign the papers print
    ("1.141.046,80€", "1141046.80"),
    ("  130.500,50  ", "130500.50"),
    ("1141046", "1141046"),
    ("1.141.046", "1141046"),
    ("1.375", "1375"),                     # a thousands group: money has no third decimal place
    ("1141046.80", "1141046.80"),          # a single dot before two digits is a decimal point
    ("12.5", "12.5"),
    ("-5,5", "-5.5"),
    ("\u22125,5", "-5.5"),                 # the typeset minus
    (",5", "0.5"),
    ("0", "0"),
    ("-0", "0"),
])
def test_it_reads_the_german_forms_of_an_amount(typed, value):
    assert parse_decimal(typed, places=2, currency=True) == Decimal(value)


@pytest.mark.parametrize("typed, value", [
    ("0,375", "0.375"), ("0.375", "0.375"),  # an integer part 0 has no thousands group
    ("0.5", "0.5"), ("1.25", "1.25"), ("0,75", "0.75"), ("1", "1"), ("1,0", "1.0"), ("7,000", "7.000"),
])
def test_it_reads_an_fte_with_a_comma_or_a_dot_that_can_only_be_a_decimal_point(typed, value):
    assert parse_decimal(typed, places=3) == Decimal(value)


def test_the_value_keeps_the_places_as_typed():
    assert str(parse_decimal("1,5", places=2)) == "1.5"
    assert str(parse_decimal("1.234,50", places=2)) == "1234.50"


# --- refused forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, message", [
    ("1.141.046.80", f"Bitte als 1.141.046,80 eingeben {MONEY_HINT}."),   # issue 10: was 114.104.680,00 €
    ("1,141,046.80", f"Bitte als 1.141.046,80 eingeben {MONEY_HINT}."),   # English
    ("1 141 046.80", f"Bitte als 1.141.046,80 eingeben {MONEY_HINT}."),
    ("1.141 046,80", f"Bitte als 1.141.046,80 eingeben {MONEY_HINT}."),   # mixed groups
    ("1,141,046", "Bitte als 1.141.046 eingeben (Punkt für Tausender)."),
    ("-1.141.046.80", f"Bitte als -1.141.046,80 eingeben {MONEY_HINT}."),
    ("1.14.046", f"Bitte eine Zahl wie 1.234,56 eingeben {MONEY_HINT}."),  # groups must have three digits
    ("1.1410.46", f"Bitte eine Zahl wie 1.234,56 eingeben {MONEY_HINT}."),
    ("5,", f"Bitte eine Zahl wie 1.234,56 eingeben {MONEY_HINT}."),
    ("1,2,3", f"Bitte eine Zahl wie 1.234,56 eingeben {MONEY_HINT}."),
])
def test_it_refuses_an_ambiguous_or_malformed_amount_and_shows_the_expected_form(typed, message):
    error = refusal(typed, places=2, currency=True)
    assert (error.code, str(error)) == ("malformed", message)


@pytest.mark.parametrize("typed", ["1,505", "1.234,567", "0.375", "0,375"])
def test_it_refuses_more_decimal_places_than_money_has(typed):
    # "1,505" may be an English 1505 or 1,505 €; "0.375" is never read as 375 €.
    error = refusal(typed, places=2, currency=True)
    assert (error.code, str(error)) == (
        "places", f"Bitte höchstens 2 Nachkommastellen eingeben, z. B. 1.234,56 {MONEY_HINT}.")


@pytest.mark.parametrize("typed, message", [
    ("1.375", "„1.375“ ist mehrdeutig: Bitte als 1,375 (Komma vor den Nachkommastellen) oder als 1375 "
              "(ohne Punkt) eingeben."),
    ("1.000", "„1.000“ ist mehrdeutig: Bitte als 1,000 (Komma vor den Nachkommastellen) oder als 1000 "
              "(ohne Punkt) eingeben."),
])
def test_an_fte_with_a_dot_before_three_digits_is_refused_as_ambiguous(typed, message):
    # 1,375 VZÄ or 1.375 VZÄ? Neither reading is taken silently.
    error = refusal(typed, places=3, example="0,375")
    assert (error.code, str(error)) == ("ambiguous", message)


def test_an_fte_with_a_fourth_place_is_refused_with_the_fte_example():
    error = refusal("0,3755", places=3, example="0,375")
    assert str(error) == "Bitte höchstens 3 Nachkommastellen eingeben, z. B. 0,375 (Komma vor den Nachkommastellen)."


@pytest.mark.parametrize("typed", ["", "   ", "abc", "2a", "1,5 Tage", "€", "-", "1e3", "NaN", "Infinity", "0x10",
                                   "١٢", "+5"])
def test_what_is_no_number_is_refused_as_invalid(typed):
    error = refusal(typed, places=2, currency=True)
    assert error.code in {"invalid", "malformed"}
    assert isinstance(error, ValueError)


def test_a_euro_sign_is_only_for_amounts():
    assert refusal("0,5 €", places=3).code == "invalid"


# --- properties --------------------------------------------------------------------------------------

PLACES = st.integers(min_value=0, max_value=3)


@st.composite
def decimals_with_places(draw):
    places = draw(PLACES)
    units = draw(st.integers(min_value=-(10 ** 13), max_value=10 ** 13))
    return Decimal(units).scaleb(-places), places


@given(decimals_with_places())
@example((Decimal("1141046.80"), 2))
@example((Decimal("0.375"), 3))
@example((Decimal("1375"), 0))
def test_a_number_formatted_the_german_way_reads_back_as_the_same_value(case):
    value, places = case
    assert parse_decimal(format_number(value, places), places=places) == value
    assert parse_decimal(format_money(value, places), places=places, currency=True) == value


@given(decimals_with_places())
@example((Decimal("1141046.80"), 2))
@example((Decimal("1.375"), 3))
@example((Decimal("1375"), 0))
def test_a_number_written_the_english_way_is_refused_or_read_right_never_1000_times_off(case):
    value, places = case
    english = f"{value:,.{places}f}"  # 1,141,046.80
    try:
        assert parse_decimal(english, places=places) == value
    except NumberFormatError:
        pass


@given(st.text(alphabet="0123456789.,- €\u00a0\u2212", max_size=14))
def test_any_typed_text_gives_a_value_or_a_german_message_and_nothing_else(text):
    try:
        value = parse_decimal(text, places=2, currency=True)
    except NumberFormatError as error:
        assert str(error).startswith(("Bitte", "„"))
    else:
        assert value.is_finite() and -value.as_tuple().exponent <= 2


# --- the browser's copy of the rule --------------------------------------------------------------------

JS_SAMPLES = ["1.141.046,80", "1.141.046.80", "1,141,046.80", "1 141 046,80", "1\u00a0141\u00a0046,80",
              "1.141.046,80 €", "1.14.046", "0.375", "0,375", "1.375", "1.5", "1,5", "1.500", "-5,5", "\u22125,5",
              "-0", "007,5", ",5", "5,", "abc", "2a", "", "  1,5  ", "1.5.0", "0", "1,0", "35.000", "1.2.3"]


def python_answer(text, places, currency):
    try:
        return str(parse_decimal(text, places=places, currency=currency))
    except NumberFormatError:
        return None


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_numbers_js_reads_every_sample_as_the_server_does():
    rng = random.Random(10)
    alphabet = "0123456789012345.,. -€\u00a0"
    samples = JS_SAMPLES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    cases = [(text, places, currency) for text in samples for places, currency in ((2, True), (2, False), (3, False))]
    script = ("const n = require(process.argv[1]); const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(cases.map(([t, p, c]) => n.parse(t, p, c))));")
    result = subprocess.run(["node", "-e", script, str(NUMBERS_JS)], input=json.dumps(cases), capture_output=True,
                            text=True, check=True, timeout=60)
    js_answers = json.loads(result.stdout)
    differences = [(case, python, js) for case, js in zip(cases, js_answers)
                   if (python := python_answer(*case)) != js]
    assert differences == []
    assert sum(answer is not None for answer in js_answers) > 500  # many samples are numbers, not only refusals


# --- every decimal form field of the app uses the parser ------------------------------------------------


def local_app_modules():
    """Every module of the project's own apps, except migrations, commands and the WSGI/ASGI entry points."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(root) or ".venv" in Path(config.path).parts:
            continue
        package = importlib.import_module(config.module.__name__)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if any(part in {"migrations", "management", "wsgi", "asgi", "settings"} for part in info.name.split(".")):
                continue
            yield importlib.import_module(info.name)


def app_form_classes() -> dict[type, str]:
    """Form classes of the apps, with the forms of their formsets -> a readable name."""
    found = {}
    for module in local_app_modules():
        for attr, obj in vars(module).items():
            if not isinstance(obj, type):
                continue
            if issubclass(obj, forms.BaseFormSet) and hasattr(obj, "form"):
                found.setdefault(obj.form, f"{module.__name__}.{attr}.form")
            elif issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                found.setdefault(obj, f"{obj.__module__}.{obj.__qualname__}")
    return found


def admin_form_classes() -> dict[type, str]:
    """The forms the admin builds for every registered model and its inlines -> a readable name."""
    request = RequestFactory().get("/admin/")
    request.user = type("Superuser", (), {"is_active": True, "is_staff": True, "is_superuser": True, "pk": 1,
                                          "has_perm": lambda *args, **kwargs: True})()
    found = {}
    for model, model_admin in admin.site._registry.items():
        found[model_admin.get_form(request)] = f"admin:{model._meta.label}"
        for inline in model_admin.get_inline_instances(request):
            found[inline.get_formset(request).form] = f"admin:{model._meta.label}/{inline.model._meta.label}"
    return found


def decimal_fields(form_classes: dict[type, str]) -> dict[str, forms.DecimalField]:
    return {f"{name}.{field_name}": field
            for form_class, name in form_classes.items()
            for field_name, field in getattr(form_class, "base_fields", {}).items()
            if isinstance(field, forms.DecimalField)}


def misreadings(field: forms.DecimalField) -> list[str]:
    """What ``field`` gets wrong of the rule (empty: it reads numbers with kimportal.numbers)."""
    problems = []
    if not isinstance(field, GermanDecimalField):
        problems.append("is no kimportal.forms.GermanDecimalField")
    try:
        problems.append(f"reads 1.141.046.80 as {field.clean('1.141.046.80')}")
    except ValidationError as refused:
        if not any("1.141.046,80" in message for message in refused.messages):
            problems.append(f"refuses 1.141.046.80 without showing 1.141.046,80: {refused.messages}")
    whole_digits = field.max_digits - field.decimal_places
    typed, value = (("1.141.046,80", "1141046.80") if whole_digits >= 7 and field.decimal_places >= 2
                    else ("1.141,5", "1141.5") if whole_digits >= 4 else ("1,5", "1.5"))
    try:
        if field.clean(typed) != Decimal(value):
            problems.append(f"reads {typed} as {field.clean(typed)}")
    except ValidationError as refused:
        problems.append(f"refuses {typed}: {refused.messages}")
    # 0.375 is 0,375 where three places are kept and refused elsewhere – never 375.
    try:
        if field.clean("0.375") != Decimal("0.375"):
            problems.append(f"reads 0.375 as {field.clean('0.375')}")
    except ValidationError:
        if field.decimal_places >= 3:
            problems.append("refuses the FTE 0.375")
    return problems


def test_every_decimal_field_of_the_apps_forms_reads_numbers_with_the_one_parser():
    fields = decimal_fields(app_form_classes())
    assert {"programmes.forms.GrantDecisionForm.amount", "staffing.forms.PositionForm.fte",
            "staffing.forms.AllocationShareForm.days", "budgeting.forms.AppropriationForm.amount",
            "budgeting.forms.PositionOverrideForm.fte"} <= set(fields)
    assert {name: problems for name, field in sorted(fields.items()) if (problems := misreadings(field))} == {}


@pytest.mark.django_db
def test_every_decimal_field_of_the_admin_reads_numbers_with_the_one_parser():
    fields = decimal_fields(admin_form_classes())
    assert {"admin:programmes.GrantDecision.amount", "admin:staffing.Position.fte",
            "admin:staffing.CaseManagementAllocation/staffing.AllocationShare.days"} <= set(fields)
    assert {name: problems for name, field in sorted(fields.items()) if (problems := misreadings(field))} == {}


# --- the pages -----------------------------------------------------------------------------------------

ISSUE_10_MESSAGE = f"Bitte als 1.141.046,80 eingeben {MONEY_HINT}."


@pytest.fixture
def demo_users(site, db):
    """The module's demo data (tests/test_access.py), each test in its own savepoint."""


def appropriation_post(amount):
    line = BudgetLine.objects.get(county__slug=RSK, code="31.10.01-KIM-CM")
    return {"budget_line": line.pk, "fiscal_year": "2030", "amount": amount, "note": "", "version": "1"}


def test_an_appropriation_of_1_141_046_80_with_dots_only_is_refused_next_to_the_field(demo_users):
    before = Appropriation.objects.count()

    response = logged_in("finanzen-rsk").post(reverse("budgeting:appropriation_create"),
                                              appropriation_post("1.141.046.80"))

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [ISSUE_10_MESSAGE]
    assert ISSUE_10_MESSAGE in field_html(response.content.decode(), "amount")
    assert 'value="1.141.046.80"' in field_html(response.content.decode(), "amount")  # kept for correcting
    assert Appropriation.objects.count() == before


@pytest.mark.parametrize("typed", ["1.141.046,80", "1141046,80", "1.141.046,80 €"])
def test_an_appropriation_typed_the_german_way_is_saved_to_the_cent(demo_users, typed):
    response = logged_in("finanzen-rsk").post(reverse("budgeting:appropriation_create"), appropriation_post(typed))

    assert response.status_code == 302
    assert Appropriation.objects.get(budget_line__county__slug=RSK, fiscal_year=2030).amount == Decimal("1141046.80")


def test_a_grant_decision_amount_with_dots_only_is_refused_and_nothing_is_saved(demo_users):
    before = GrantDecision.objects.count()

    response = logged_in("ki-rsk").post(reverse("programmes:grantdecision_create"),
                                        grant_decision_post(amount="1.141.046.80"))

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [ISSUE_10_MESSAGE]
    assert ISSUE_10_MESSAGE in field_html(response.content.decode(), "amount")
    assert GrantDecision.objects.count() == before


def test_an_fte_of_0_375_typed_with_a_dot_is_stored_as_0_375(demo_users):
    position = Position.objects.filter(county__slug=RSK).order_by("pk").first()

    response = logged_in("ki-rsk").post(reverse("staffing:position_edit", args=[position.pk]),
                                        position_data(position, fte="0.375"))

    assert response.status_code == 302
    assert Position.objects.get(pk=position.pk).fte == Decimal("0.375")


def test_an_fte_of_1_000_is_refused_as_ambiguous_not_read_as_1000_or_1(demo_users):
    position = Position.objects.filter(county__slug=RSK).order_by("pk").first()

    response = logged_in("ki-rsk").post(reverse("staffing:position_edit", args=[position.pk]),
                                        position_data(position, fte="1.000"))

    assert response.status_code == 200
    # 1000 is no FTE, so the message offers the decimal form alone (a fresh user's trial).
    message = "„1.000“ ist mehrdeutig: Bitte als 1,000 (Komma vor den Nachkommastellen) eingeben."
    assert response.context["form"].errors["fte"] == [message]
    after = Position.objects.get(pk=position.pk)
    assert (after.fte, after.version) == (position.fte, position.version)


def allocation_post(allocation, municipality, typed, **days):
    """The allocation page's POST with ``typed`` exactly as typed for ``municipality`` (allocation_data turns
    every dot into a comma)."""
    data = allocation_data(allocation, days)
    pk = Municipality.objects.get(county=allocation.county, name=municipality).pk
    key = next(key for key, value in data.items() if key.endswith("-municipality") and value == pk)
    return data | {key.replace("-municipality", "-days"): typed}


@pytest.mark.parametrize("typed", ["1.5", "1,5"])
def test_days_on_the_allocation_page_are_read_with_a_dot_or_a_comma(demo_users, typed):
    allocation = rsk_allocation()

    response = logged_in("ki-rsk").post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                                        allocation_post(allocation, "Alfter", typed, **{"Hennef (Sieg)": "1,5"}))

    assert response.status_code == 302
    assert saved_days(allocation)["Alfter"] == Decimal("1.50")


@pytest.mark.parametrize("typed, message", [
    ("1.5.0", "Bitte eine Zahl wie 1,5 eingeben (Komma vor den Nachkommastellen)."),
    ("1.500", "Bitte eine Zahl in halben Tagen angeben, z. B. 1,5."),  # 1500 days: too many digits
    ("0.375", "Bitte in halben Tagen angeben (0,5; 1; 1,5 …)."),
])
def test_days_that_cannot_be_read_for_certain_are_refused_and_nothing_is_saved(demo_users, typed, message):
    allocation = rsk_allocation()
    before = saved_days(allocation)

    response = logged_in("ki-rsk").post(reverse("staffing:allocation_detail", args=[allocation.pk]),
                                        allocation_post(allocation, "Alfter", typed))

    assert response.status_code == 200
    alfter = next(row for row in response.context["rows"] if row["municipality"].name == "Alfter")
    assert alfter["form"].errors["days"] == [message]
    assert f'value="{typed}"' in response.content.decode()  # kept for correcting
    assert saved_days(allocation) == before
