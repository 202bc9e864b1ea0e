"""Other counties' situations entered through the models: the own share follows the decision and the rules."""
import json
from datetime import date
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from budgeting.models import CoverageSource, CoverageWindow
from kimportal.models import County
from programmes.models import FundedSlot, GrantDecision, GrantedSlot, Module, Programme
from staffing.models import PayGrade, Position

pytestmark = pytest.mark.usefixtures("demo")


def own_share(county, start, end, *args):
    out = StringIO()
    call_command("own_share", "--county", county, "--from", start, "--to", end, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def county(slug="kreis-beispiel", name="Kreis Beispiel"):
    return County.objects.create(name=name, slug=slug)


def position(where, module, slot, fte, grade="E9a", start=date(2021, 1, 1), end=None, title="Stelle"):
    return Position.objects.create(county=where, title=title, module=Module.objects.get(code=module),
                                   funded_slot=FundedSlot.objects.get(code=slot) if slot else None,
                                   pay_grade=PayGrade.objects.get(code=grade), fte=D(fte), start_on=start, end_on=end,
                                   status=Position.Status.FILLED)


def test_baustein_3_with_a_decision_for_1_5_slots_gets_56_250_euros_in_2021():
    where = county()
    position(where, "kim-b3", "kim-b3-abh-ebh", "1.0")
    position(where, "kim-b3", "kim-b3-abh-ebh", "0.5")
    decision = GrantDecision.objects.create(county=where, programme=Programme.objects.get(code="kim"),
                                            module=Module.objects.get(code="kim-b3"), issued_on=date(2021, 2, 22),
                                            period_start=date(2021, 1, 1), period_end=date(2021, 12, 31),
                                            amount=D("56250"))
    GrantedSlot.objects.create(decision=decision, funded_slot=FundedSlot.objects.get(code="kim-b3-abh-ebh"),
                               count=D("1.5"), nominal_fte=D("1"))
    (block,) = own_share(where.slug, "2021-01", "2021-12")["cases"][0]["blocks"]
    assert block["grant"] == "56250"
    assert block["limits"] == ["begrenzt durch Bescheid vom 22.02.2021: 1,5 Förderstellen"]
    # 1,5 VZÄ E9a cost 1,5 × 83.860 € = 125.790 €.
    assert block["total"] == "125790" and block["own_share"] == "69540"


def test_without_the_decision_the_rates_apply_and_say_so():
    where = county()
    position(where, "kim-b3", "kim-b3-abh-ebh", "1.0")
    position(where, "kim-b3", "kim-b3-abh-ebh", "0.5")
    (block,) = own_share(where.slug, "2021-01", "2021-12")["cases"][0]["blocks"]
    assert block["grant"] == "75000"
    assert block["notes"] == ["ohne Antrag: Förderung nach den Fördersätzen (01/2021–12/2021)"]


def test_baustein_2_pays_57_000_euros_per_fte_from_2023_kreis_unna_18_fte():
    where = county("kreis-unna", "Kreis Unna")
    for _ in range(18):
        position(where, "kim-b2", "kim-b2-case-management", "1.0", grade="S12", start=date(2023, 1, 1))
    case = own_share(where.slug, "2023-01", "2023-12")["cases"][0]
    assert case["totals"]["grant"] == "1026000"


def test_a_position_from_31_january_to_1_march_pays_part_months_by_calendar_days():
    where = county()
    position(where, "kim-b3", "kim-b3-abh-ebh", "1.0", start=date(2024, 1, 31), end=date(2024, 3, 1))
    (block,) = own_share(where.slug, "2024-01", "2024-03")["cases"][0]["blocks"]
    months = [m["total"] for m in block["months"]]
    # E9a's latest KGSt cost, 1/31 of January and of March, all of February.
    assert months[0] == months[2] and int(months[0]) * 25 < int(months[1]) < int(months[0]) * 35
    assert any("1/31" in line["detail"] for line in block["lines"])


def test_the_extended_integrationspauschale_leaves_60_330_euros_and_the_range_60_330_to_578_466():
    data = own_share("rhein-sieg-kreis", "2021-12", "2022-12")
    by_name = {c["name"]: c for c in data["cases"]}
    assert by_name["Planstand"]["unplanned_provision"] == "510330"
    assert by_name["Integrationspauschale verlängert bis 30.11.2022"]["unplanned_provision"] == "60330"
    assert data["risk_range"] == {"low": "60330", "high": "578466"}


def test_the_extended_case_does_not_depend_on_the_month_the_period_starts_with():
    scenario = "Integrationspauschale verlängert bis 30.11.2022"
    paper = own_share("rhein-sieg-kreis", "2021-12", "2022-12", "--scenario", scenario)["cases"][0]
    earlier = own_share("rhein-sieg-kreis", "2021-06", "2022-12", "--scenario", scenario)["cases"][0]

    def uncovered_from_december(case):
        return sum(int(m["uncovered"]) for b in case["blocks"] for m in b["months"] if m["month"] >= "2021-12")

    assert uncovered_from_december(earlier) == uncovered_from_december(paper) == 60330
    # June to November 2021 were paid as planned: commitments, the 450.000 € untouched.
    assert all(int(m["uncovered"]) == 0 for b in earlier["blocks"] for m in b["months"] if m["month"] < "2021-12")


def test_deadlines_by_purpose_in_rhein_kreis_neuss():
    neuss = County.objects.get(slug="rhein-kreis-neuss")
    Position.objects.filter(county=neuss).delete()
    position(neuss, "kim-b1", "kim-b1-koordination", "1.0", grade="E11", start=date(2021, 1, 1), title="KIM")
    own_programme = Programme.objects.create(county=neuss, code="neuss-eigene-massnahmen", name="Eigene Maßnahmen")
    Module.objects.create(programme=own_programme, code="neuss-eigene-massnahmen-1", name="Maßnahmen")
    position(neuss, "neuss-eigene-massnahmen-1", None, "1.0", grade="E11", start=date(2021, 1, 1),
             title="Eigene Maßnahmen")
    source = CoverageSource.objects.create(county=neuss, name="Integrationspauschale", balance=D("1000000"),
                                           balance_as_of=date(2020, 12, 31), usable_until=date(2021, 11, 30))
    CoverageWindow.objects.create(source=source, programme=Programme.objects.get(code="kim"),
                                  usable_until=date(2021, 6, 30))
    case = own_share(neuss.slug, "2021-01", "2021-12")["cases"][0]
    # The positions' blocks (KIM Baustein 1's Jahrespauschalen beside them are cost-neutral: nothing uncovered).
    by_module = {b["module"]: b for b in case["blocks"] if not b["key"].startswith("pauschal:")}
    kim = [int(m["uncovered"]) for m in by_module["kim-b1"]["months"]]
    own = [int(m["uncovered"]) for m in by_module["neuss-eigene-massnahmen-1"]["months"]]
    assert kim[:6] == [0] * 6 and all(v > 0 for v in kim[6:])
    assert own[:11] == [0] * 11 and own[11] > 0


def test_the_haushalt_report_shows_the_same_grant_as_the_own_share_engine():
    """Issue 10: "2 Förderstellen × 37.500 = 75.000 €" on one page and 56.250 € on another must not happen."""
    import reports.papers.haushalt  # noqa: F401  (registers the report)
    from reports.registry import ReportParams, get_report
    from reports.selectors import paper_context

    where = county()
    position(where, "kim-b3", "kim-b3-abh-ebh", "1.0")
    position(where, "kim-b3", "kim-b3-abh-ebh", "0.5")
    decision = GrantDecision.objects.create(county=where, programme=Programme.objects.get(code="kim"),
                                            module=Module.objects.get(code="kim-b3"), issued_on=date(2021, 2, 22),
                                            period_start=date(2021, 1, 1), period_end=date(2021, 12, 31),
                                            amount=D("56250"))
    GrantedSlot.objects.create(decision=decision, funded_slot=FundedSlot.objects.get(code="kim-b3-abh-ebh"),
                               count=D("1.5"), nominal_fte=D("1"))
    (block,) = own_share(where.slug, "2021-01", "2021-12")["cases"][0]["blocks"]
    year_2021 = ReportParams(start=date(2021, 1, 1), end=date(2021, 12, 1))
    data = paper_context(get_report("haushalt"), where, year_2021)["data"]
    (year,) = [item for item in data["years"] if item["year"] == "2021"]
    rows = [row for group in year["groups"] for row in group["rows"] if "Baustein 3" in row["label"]]
    assert rows and D(block["grant"]) == D("56250")
    assert sum(D(row["personnel"] or 0) + D(row["material"] or 0) for row in rows) == D(block["grant"])


def test_heinsberg_county_top_up_for_a_welfare_organisations_case_manager(client):
    from kimportal.models import Partner

    where = county("kreis-heinsberg", "Kreis Heinsberg")
    caritas = Partner.objects.create(county=where, name="Caritasverband Heinsberg", kind=Partner.Kind.WELFARE)
    cm = Position.objects.create(county=where, title="Case Management Caritas",
                                 module=Module.objects.get(code="kim-b2"),
                                 funded_slot=FundedSlot.objects.get(code="kim-b2-case-management"),
                                 pay_grade=PayGrade.objects.get(code="S12"), fte=D("1"), start_on=date(2021, 1, 1),
                                 employer=caritas, county_top_up=D("5000"), status=Position.Status.FILLED)
    (block,) = own_share(where.slug, "2021-01", "2021-12")["cases"][0]["blocks"]
    assert (block["total"], block["grant"], block["own_share"], block["third_party"]) == (
        "95380", "55000", "5000", "35380")
    assert block["label"].endswith(
        "Anstellungsträger Caritasverband Heinsberg, Zuschuss des Kreises 5.000\u00a0€ je VZÄ")
    # Without another employer a top-up makes no sense: refused with a German message.
    cm.employer = None
    with pytest.raises(Exception) as error:
        cm.full_clean()
    assert "Ein Zuschuss des Kreises gilt nur für Stellen eines anderen Anstellungsträgers" in str(error.value)


def test_a_scenario_that_only_moves_a_deadline_leaves_every_block_figure_as_it_is():
    """A fresh user's trial of issue 10: "verlängert bis 30.11.2022" shifted 2021 grants and shares by a few euros
    (Koordination 48.814 € against 48.815 €), because the balance date split the months only where the source was
    still usable. Only what stays uncovered may differ."""
    cases = own_share("rhein-sieg-kreis", "2021-01", "2021-12")["cases"]
    by_name = {case["name"]: case for case in cases}
    base, extended = by_name["Planstand"], by_name["Integrationspauschale verlängert bis 30.11.2022"]
    figures = ("total", "grant", "third_party", "own_share")
    assert [[b[f] for f in figures] for b in extended["blocks"]] == [[b[f] for f in figures] for b in base["blocks"]]
    assert extended["unplanned_provision"] == "0" and int(base["unplanned_provision"]) > 0
