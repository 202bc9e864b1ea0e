"""The demo's second county from a workbook: the Rhein-Kreis Neuss with its KIM grant decided
(fixtures/60_rhein-kreis-neuss.xlsx, built by scripts/build_neuss_workbook.py)."""
from pathlib import Path

from django.conf import settings

from budgeting.selectors import own_share_comparison
from kimportal.models import County
from programmes.models import GrantDecision
from workbook.demo import import_fixture_workbooks
from workbook.importer import import_workbook

WORKBOOK = Path(settings.BASE_DIR) / "fixtures" / "60_rhein-kreis-neuss.xlsx"


def test_neuss_own_shares_for_2022_from_its_workbook(demo):
    from datetime import date

    # load_demo imported the workbook already: importing it again creates and changes nothing.
    result = import_workbook(WORKBOOK)
    assert result.summary() == "Rhein-Kreis Neuss (rhein-kreis-neuss): 0 neu, 0 geändert, 17 unverändert"
    neuss = County.objects.get(slug="rhein-kreis-neuss")
    decision = GrantDecision.objects.get(county=neuss, module__code="kim-b2")
    assert (decision.issued_on, decision.authority) == (date(2020, 5, 25), "Bezirksregierung Arnsberg")

    base = own_share_comparison(neuss, date(2022, 1, 1), date(2022, 12, 31)).results[0]
    own = {block.key: block.own_share for block in base.blocks}
    # 3,5 × (106.540 − 55.000 − 9.700) = 146.440 €; 36.890 − 27.350 = 9.540 €; 6 × (95.380 − 55.000) = 242.280 €;
    # Baustein 1's Jahrespauschalen (events, measures) are spent as granted: own share 0 €
    assert own == {"kim-b1-koordination": 146440, "kim-b1-assistenz": 9540, "kim-b2-case-management": 242280,
                   "pauschal:kim-b1": 0}
    assert base.unplanned_provision == 398260

    again = import_fixture_workbooks(WORKBOOK.parent)  # as load_demo would, again: nothing new, nothing changed
    assert [(r.slug, r.total("neu"), r.total("geändert")) for r in again] == [("rhein-kreis-neuss", 0, 0)]
