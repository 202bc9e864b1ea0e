"""The risk report names who decides each unplanned provision by the county's stages (§ 83 GO NRW): per block,
per case and kind of spending, the total; the demo's Rhein-Kreis Neuss and a city's stages on the
Rhein-Sieg-Kreis' KIM figures (Planstand 12/2021–12/2022: 158.644 + 10.335 + 258.818 + 82.533 = 510.330 €)."""
import re
from datetime import date
from decimal import Decimal

import pytest

import reports.papers.risiko  # noqa: F401  (registers the report)
from kimportal.models import County
from programmes.models import Programme
from provisions.limits import ProvisionLimits
from provisions.models import ProgrammeSpendingKind
from provisions.rules import ALL, MANDATORY, VOLUNTARY, Stage
from reports.models import IssuedReport
from reports.papers import decisions
from reports.registry import ReportParams, get_report, report_data
from reports.rendering import paper_html, render_pdf
from reports.selectors import changes_since, paper_context
from tests.reports.conftest import pdf_text

from .helpers import record_stages

RSK = "rhein-sieg-kreis"
PERIOD = ReportParams(start=date(2021, 12, 1), end=date(2022, 12, 1))
NEUSS_LIKE = ((VOLUNTARY, "5000", "Kämmerer/in", "unerheblich"), (VOLUNTARY, None, "Kreistag"),
              (MANDATORY, "250000", "Kämmerer/in", "unerheblich"), (MANDATORY, None, "Kreistag"))
CITY = ((ALL, "500", "Fachbereich Finanzen / Kämmerei"), (ALL, "2500", "Kämmerer/in"),
        (ALL, "30000", "Bürgermeister/in"), (ALL, None, "Rat"))


def flat(text: str) -> str:
    """Text of a PDF or HTML page in one line: tags and line breaks as single spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text).replace("\u00a0", " "))


def rsk():
    return County.objects.get(slug=RSK)


def data(county=None, params=PERIOD) -> dict:
    return report_data(get_report("risiko"), county or rsk(), params)


def html(county=None, params=PERIOD) -> str:
    return flat(paper_html(paper_context(get_report("risiko"), county or rsk(), params)))


def who_per_block(result) -> dict:
    return {block["label"].split(": ", 1)[1]: block["decision"] and block["decision"]["who"]
            for block in result["cases"][0]["blocks"]}


def test_the_neuss_paper_names_its_stages_for_voluntary_and_mandatory_spending(demo):
    text = html(County.objects.get(slug="rhein-kreis-neuss"), ReportParams(fiscal_year=2022))
    assert "Wertgrenzen (§ 83 GO NRW): nach Haushaltssatzung, siehe III." in text
    assert "Haushaltssatzung des Rhein-Kreises Neuss" in text
    assert "bis einschließlich 5.000 € (freiwillig, unerheblich): Kämmerer/in" in text
    assert "über 5.000 € (freiwillig): Kreistag" in text
    assert "bis einschließlich 250.000 € (pflichtig, unerheblich): Kämmerer/in" in text
    assert "über 250.000 € (pflichtig): Kreistag" in text


def test_with_neuss_like_stages_kim_is_decided_by_the_mandatory_limits(demo):
    record_stages(rsk(), *NEUSS_LIKE, source="§ 7 Haushaltssatzung 2022")
    result = data()
    assert who_per_block(result) == {
        "Koordination (Strategische Steuerung)": "Kämmerer/in",  # 158.644 € ≤ 250.000 €
        "Verwaltungsassistenz": "Kämmerer/in",
        "Case Management, Eigenanteil im Haushalt veranschlagt": None,  # fully covered
        "Case Management, CM-Einsatz in den Kommunen 2021/2022": "Kreistag",  # 258.818 € > 250.000 €
        "Stelle Ausländer- / Einbürgerungsbehörde": "Kämmerer/in",
    }
    (total,) = result["cases"][0]["decisions"]
    assert (total["kind"], total["amount"], total["decision"]["who"]) == (MANDATORY, "510330", "Kreistag")
    assert result["cases"][0]["decision_text"] == (
        "pflichtig: vorherige Zustimmung Kreistag (Gesamtbetrag über 250.000\u00a0€)")
    assert result["summary"]["decision"].startswith("pflichtig: vorherige Zustimmung Kreistag")
    assert [cell["amount"] for cell in result["cases"][0]["by_stage"]] == ["251512", "258818"]
    assert result["financial_effects"]["decision"] == (
        "578.466\u00a0€ (pflichtig): über 250.000\u00a0€ – vorherige Zustimmung Kreistag "
        "(§ 83 GO NRW; § 7 Haushaltssatzung 2022).")
    text = flat(pdf_text(render_pdf(paper_html(paper_context(get_report("risiko"), rsk(), PERIOD)))))
    assert "Art der Aufwendungen: pflichtig: Kommunales Integrationsmanagement (KIM)." in text
    assert "(Rhein-Sieg-Kreis, § 7 Haushaltssatzung 2022):" in text
    assert "über 250.000 € (pflichtig): Kreistag" in text and "Kreisausschuss" not in text
    assert "Planstand 251.512 € 258.818 € 510.330 €" in text  # treasurer's and Kreistag's blocks, the total
    assert "pflichtig 510.330 €: vorherige" in text  # … Zustimmung Kreistag (the cell wraps)


def test_as_voluntary_spending_every_kim_block_above_5000_euros_needs_the_kreistag(demo):
    record_stages(rsk(), *NEUSS_LIKE)
    ProgrammeSpendingKind.objects.filter(county=rsk(), programme__code="kim").delete()  # unrecorded: voluntary
    result = data()
    assert set(who_per_block(result).values()) == {"Kreistag", None}
    assert result["limits"]["programme_kinds"] == [{
        "label": "freiwillig (nicht festgelegt, daher als freiwillig behandelt)",
        "programmes": ["Kommunales Integrationsmanagement (KIM)"]}]


def test_a_city_s_stages_give_the_assistant_to_the_mayor_and_the_rest_to_the_council(demo):
    record_stages(rsk(), *CITY)
    result = data()
    assert who_per_block(result)["Verwaltungsassistenz"] == "Bürgermeister/in"  # 10.335 € ≤ 30.000 €
    assert who_per_block(result)["Koordination (Strategische Steuerung)"] == "Rat"
    columns = [column["heading"].replace("\u00a0", " ") for column in result["limits"]["columns"]]
    assert columns == ["Entscheidung Fachbereich Finanzen / Kämmerei (bis einschließlich 500 €)",
                       "Entscheidung Kämmerer/in (über 500 € bis einschließlich 2.500 €)",
                       "Entscheidung Bürgermeister/in (über 2.500 € bis einschließlich 30.000 €)",
                       "Zustimmung Rat (über 30.000 €)"]
    assert [cell["amount"] for cell in result["cases"][0]["by_stage"]] == ["0", "0", "10335", "499995"]


def test_a_kind_without_stages_is_named_and_decided_by_nobody(demo):
    record_stages(rsk(), (VOLUNTARY, "5000", "Kämmerer/in"), (VOLUNTARY, None, "Kreistag"))
    result = data()  # KIM is mandatory in the demo; only voluntary stages are recorded
    assert result["limits"]["missing"] == ["pflichtige Aufwendungen"]
    assert all(block["decision"] is None for block in result["cases"][0]["blocks"])
    assert result["summary"]["decision"] == "für pflichtige Aufwendungen keine Wertgrenzen hinterlegt in allen Fällen"
    assert "Für pflichtige Aufwendungen sind keine Wertgrenzen hinterlegt;" in html()


def test_a_case_with_both_kinds_is_decided_per_kind():
    limits = ProvisionLimits(county="Testkreis", stages=tuple(
        Stage(kind, Decimal(limit) if limit else None, body) for kind, limit, body, *_ in NEUSS_LIKE),
        module_kinds={"kim-b1": (MANDATORY, True), "projekte": (VOLUNTARY, True)})
    items = limits.by_kind([("kim-b1", Decimal("200000")), ("projekte", Decimal("3000")),
                            ("projekte", Decimal("2000.01"))])
    assert [(item["kind"], item["amount"], item["decision"]["who"]) for item in items] == [
        (VOLUNTARY, Decimal("5000.01"), "Kreistag"), (MANDATORY, Decimal("200000"), "Kämmerer/in")]
    assert decisions.decision_text(items, True).replace("\u00a0", " ") == (
        "freiwillig: vorherige Zustimmung Kreistag (Gesamtbetrag über 5.000 €); pflichtig: Entscheidung "
        "Kämmerer/in (Gesamtbetrag bis einschließlich 250.000 €)")


def test_a_paper_issued_with_the_old_single_limit_still_shows_and_compares(demo):
    """Papers issued before the stages keep their snapshot (data.threshold, case.decision)."""
    paper = paper_context(get_report("risiko"), rsk(), PERIOD)
    old = paper["data"]
    del old["limits"]
    old["threshold"] = {"amount": "100000.00", "county": "Rhein-Sieg-Kreis"}
    for case in old["cases"]:
        decision = case["decisions"][0]["decision"]  # KIM only: one kind of spending
        case["decision"] = {key: decision[key] for key in ("council", "who", "text")}
        case["treasurer"] = {"amount": case["by_stage"][0]["amount"], "blocks": case["by_stage"][0]["blocks"]}
        case["council"] = {"amount": case["by_stage"][1]["amount"], "blocks": case["by_stage"][1]["blocks"]}
        del case["decisions"], case["decision_text"], case["by_stage"]
    text = flat(paper_html(paper))
    assert "Wertgrenze (§ 83 GO NRW): 100.000 €" in text
    assert "Wertgrenze für überplanmäßige Bereitstellungen (Rhein-Sieg-Kreis): 100.000 €" in text
    assert "Entscheidung Kämmerer/in (unter 100.000 €)" in text
    issued = IssuedReport.objects.create(county=rsk(), report="risiko", title="Risiko", paper_number="1/2022",
                                         committee="Kreisausschuss", params=paper["params"], snapshot=paper,
                                         pdf=b"%PDF-1.7", page_count=1)
    changes = {change["label"]: (change["before"], change["after"]) for change in changes_since(issued)}
    assert changes == {"Wertgrenzen (§ 83 GO NRW)": (
        "100.000\u00a0€", "bis einschließlich 99.999,99\u00a0€: Kämmerer/in; über 99.999,99\u00a0€: "
                          "Kreistag / Kreisausschuss")}


@pytest.mark.parametrize("kind", [VOLUNTARY, MANDATORY])
def test_the_programmes_of_the_land_are_classified_per_county_not_shared(demo, kind):
    kim = Programme.objects.get(code="kim")
    ProgrammeSpendingKind.objects.update_or_create(county=rsk(), programme=kim, defaults={"spending_kind": kind})
    neuss = ProgrammeSpendingKind.objects.get(county__slug="rhein-kreis-neuss", programme=kim)
    assert neuss.spending_kind == MANDATORY
