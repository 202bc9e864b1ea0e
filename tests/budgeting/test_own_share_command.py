"""`manage.py own_share` on the demo data: the acceptance figures of DOMAIN.md."""
import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from budgeting.models import StatedFigure
from programmes.models import FundingRate
from staffing.models import Position

PERIOD = ["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12"]
V1 = "Baustein 3 – Variante 1 (3 × 0,75 VZÄ)"
V2 = "Baustein 3 – Variante 2 (3 × 1,0 VZÄ)"
B1 = "kim-b1-koordination"
ASSISTANT = "kim-b1-assistenz"
B2 = "kim-b2-case-management:cm-kommunen-2021"
B3 = "kim-b3-abh-ebh"
EXTENDED = "Integrationspauschale verlängert bis 30.11.2022"


def own_share(*args):
    out = StringIO()
    call_command("own_share", *PERIOD, *args, stdout=out)
    return out.getvalue()


def as_json(*args):
    return json.loads(own_share("--format", "json", *args))


def blocks(case):
    return {b["key"]: b for b in case["blocks"]}


pytestmark = pytest.mark.usefixtures("demo")


def test_the_base_case_has_the_own_shares_of_the_paper():
    data = as_json()
    assert data["period"] == {"from": "2021-12", "to": "2022-12", "months": 13}
    base = blocks(data["cases"][0])
    assert data["cases"][0]["name"] == "Planstand" and data["cases"][0]["scenario"] is None
    assert [base[B1][k] for k in ("total", "grant", "third_party", "own_share")] == ["403963", "245319", "0", "158644"]
    assert [base[ASSISTANT][k] for k in ("total", "grant", "own_share")] == ["39964", "29629", "10335"]
    assert [base[B2][k] for k in ("total", "grant", "third_party", "own_share")] == ["723296", "417081", "47397", "258818"]
    assert [base[B3][k] for k in ("total", "grant", "own_share")] == ["204408", "121875", "82533"]


def test_the_variants_and_the_extension_side_by_side_give_the_risk_range_60_330_to_578_466():
    data = as_json()
    assert [c["name"] for c in data["cases"]] == ["Planstand", V1, V2, EXTENDED]
    assert [c["unplanned_provision"] for c in data["cases"]] == ["510330", "510330", "578466", "60330"]
    assert blocks(data["cases"][2])[B3]["own_share"] == "150669"
    assert data["risk_range"] == {"low": "60330", "high": "578466"}


def test_the_text_output_prints_the_figures_in_german_format():
    text = own_share()
    for figure in ("158.644", "10.335", "258.818", "82.533", "150.669"):
        assert f"{figure}\u00a0€" in text
    assert "Risikospanne: 60.330\u00a0€ – 578.466\u00a0€" in text
    assert "3,5 VZÄ × 70.091\u00a0€ = 245.319\u00a0€" in text


def test_the_papers_stated_figures_show_their_differences_minus_18_and_plus_2():
    base = as_json()["cases"][0]
    differences = {(d["block_key"], d["field"]): d for d in base["differences"]}
    assert differences[(ASSISTANT, "own_share")]["difference"] == "-18"
    assert differences[(ASSISTANT, "own_share")]["stated"] == "10317"
    assert differences[(B2, "own_share")]["difference"] == "2"
    assert differences[(B2, "own_share")]["stated"] == "258820"
    text = own_share()
    assert "laut Vorlage 10.317\u00a0€, berechnet 10.335\u00a0€, Differenz -18\u00a0€" in text
    assert "laut Vorlage 258.820\u00a0€, berechnet 258.818\u00a0€, Differenz +2\u00a0€" in text


def test_a_stated_figure_for_a_scenario_is_compared_in_that_scenario_only():
    v2 = as_json("--scenario", V2)["cases"][0]
    b3 = [d for d in v2["differences"] if d["block_key"] == B3]
    assert {d["field"]: d["difference"] for d in b3} == {"total": "0", "grant": "0", "own_share": "0"}
    assert StatedFigure.objects.filter(block_key=B3).count() == 6


def test_one_scenario_only_with_scenario():
    data = as_json("--scenario", V2)
    assert [c["name"] for c in data["cases"]] == [V2]
    assert data["risk_range"] == {"low": "578466", "high": "578466"}


def test_the_months_add_up_to_the_period():
    b2 = blocks(as_json()["cases"][0])[B2]
    assert len(b2["months"]) == 13
    assert sum(int(m["own_share"]) for m in b2["months"]) == 258818


def test_csv_has_one_row_per_block_and_a_sum_per_case():
    rows = own_share("--format", "csv", "--scenario", V1).strip().splitlines()
    assert rows[0] == "case,block_key,block,fte,total,grant,third_party,own_share,uncovered,source"
    # All programmes (issue 11): the KIM blocks of Vorlage 002 (1.784.943 € total cost, 641.565 € own share) plus
    # the blocks without positions of 01.12.2021-31.12.2022 (their grants, and the Projektmittel's own funds of
    # 4.167 € + 50.000 €) and KIM Baustein 1's Jahrespauschalen beside its positions (10.833 € + 32.500 € =
    # 43.333 €, cost-neutral); the unplanned provision stays Vorlage 002's 510.330 €.
    total = next(row for row in rows if ",Summe,," in row and ",kreisumlage," not in row)
    assert total.endswith(",Summe,,2572852,1785978,91142,695732,510330,")
    # Each lump-sum block names where its amounts come from; blocks of positions have no source.
    parsed = list(csv.reader(rows))
    kim = next(row for row in parsed if row[1] == "pauschal:kim-b1")
    sources = [rate.source for rate in FundingRate.objects.filter(module__code="kim-b1", funded_slot__isnull=True,
                                                                 kind="lump_sum").order_by("valid_from", "pk")]
    assert kim[4:] == ["43333", "43333", "0", "0", "0", "; ".join(sources)] and len(sources) == 2
    assert next(row for row in parsed if row[1] == "kim-b1-koordination")[-1] == ""


def test_changing_a_position_changes_the_figures():
    Position.objects.filter(funded_slot__code=B3).update(fte="0.5")
    b3 = blocks(as_json()["cases"][0])[B3]
    assert b3["total"] == "136272"  # 1,5 VZÄ × 90.848 €


@pytest.mark.parametrize("args, message", [
    (["--county", "atlantis", "--from", "2021-12", "--to", "2022-12"], "Unbekannter Kreis 'atlantis'"),
    (["--county", "rhein-sieg-kreis", "--from", "2021-13", "--to", "2022-12"], "--from erwartet einen Monat"),
    (["--county", "rhein-sieg-kreis", "--from", "12.2021", "--to", "2022-12"], "--from erwartet einen Monat"),
    (["--county", "rhein-sieg-kreis", "--from", "2022-12", "--to", "2021-12"], "liegt vor --from"),
    (["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12", "--scenario", "Variante 9"],
     "Unbekanntes Szenario 'Variante 9'"),
    (["--county", "rhein-sieg-kreis", "--from", "2021-12", "--to", "2022-12", "--format", "xml"], "Unbekanntes Format"),
    (["--from", "2021-12", "--to", "2022-12"], "--county"),
])
def test_bad_input_gives_a_one_line_error(args, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("own_share", *args, stdout=StringIO())
    assert "\n" not in str(error.value)


def test_kim_baustein_1s_jahrespauschalen_are_a_cost_neutral_block_beside_the_positions():
    """Vorlage 002: 10.000 € for events and 30.000 € for measures a year; 13 months: 10.833 € + 32.500 €."""
    case = as_json("--scenario", V1)["cases"][0]
    block = blocks(case)["pauschal:kim-b1"]
    assert (block["total"], block["grant"], block["own_share"], block["uncovered"]) == ("43333", "43333", "0", "0")
    events = next(line for line in block["lines"] if line["label"] == "Sachausgaben Veranstaltungen")
    assert events["amount"] == "10833"
    assert events["text"].startswith("Jahrespauschale 10.000\u00a0€ × 13/12 = 10.833\u00a0€, kostenneutral: "
                                     "Ausgaben in Höhe der Förderung; Quelle: ")
    assert events["source"] == FundingRate.objects.get(module__code="kim-b1", cost_type="events").source
    assert block["source"] == "; ".join(line["source"] for line in block["lines"] if line["source"])
    # The acceptance figures and the risk stay Vorlage 002's.
    assert [blocks(case)[key]["own_share"] for key in (B1, ASSISTANT, B2, B3)] == ["158644", "10335", "258818",
                                                                                   "82533"]
    assert case["unplanned_provision"] == "510330"


def test_an_assumed_amount_is_never_called_laut_bescheid():
    case = as_json("--scenario", V1)["cases"][0]
    durchstarten = blocks(case)["pauschal:durchstarten-1"]
    line = next(line for line in durchstarten["lines"] if line["field"] == "grant")
    assert line["text"].startswith("Angenommener Betrag 30.000\u00a0€ × 13/12 = 32.500\u00a0€")
    assert line["source"] == "Annahme (Bemerkung zum Bescheid 01.01.2021–31.12.2022)"
    assert not any("laut Bescheid" in line["text"] for b in case["blocks"] for line in b["lines"])
    assert blocks(case)["eigenmittel:rsk-projektmittel"]["source"] == ("Haushaltsansatz 2021 (rsk-projektmittel); "
                                                                       "Haushaltsansatz 2022 (rsk-projektmittel)")
