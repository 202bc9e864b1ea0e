"""A long staffing plan breaks across pages: the header row on every page, "Seite x von y" on every page."""
from datetime import date
from decimal import Decimal

from reports.registry import ReportParams, get_report
from reports.rendering import page_count, paper_html, render_pdf
from reports.selectors import paper_context
from staffing.models import WorkplaceCost
from tests.factories import make_county, make_funded_slot, make_module, make_pay_grade, make_position

from .conftest import pdf_pages

HEADER = "Förderstelle / Anstellungsträger"


def test_200_positions_break_across_pages_with_the_header_row_repeated(db):
    county = make_county()
    module = make_module()
    slot = make_funded_slot(module=module)
    e9a = make_pay_grade(code="E9a")
    WorkplaceCost.objects.create(pay_grade=e9a, year=2022, annual=Decimal("83860"))
    for number in range(1, 201):
        make_position(county=county, title=f"Teststelle {number:03d}", module=module, funded_slot=slot,
                      pay_grade=e9a, fte="0.75", start_on=date(2022, 1, 1), fixed_term_until=date(2022, 12, 31))

    report = get_report("stellenplan")
    pdf = render_pdf(paper_html(paper_context(report, county, ReportParams(fiscal_year=2022))))
    pages = pdf_pages(pdf)

    with_rows = [text for text in pages if "Teststelle" in text]
    assert len(with_rows) >= 4 and page_count(pdf) == len(pages)
    for text in with_rows:
        assert text.index(HEADER) < text.index("Teststelle")  # the header row heads every page of the table
        assert "EG VZÄ" in text
    assert all(f"Teststelle {number:03d}" in "\n".join(pages) for number in range(1, 201))
    for number, text in enumerate(pages, start=1):
        assert f"Seite {number} von {len(pages)}" in text
    # 200 × 0,75 VZÄ × 83.860 € = 62.895 € each, 12.579.000 € together.
    assert "62.895 €" in pages[-1] or "62.895 €" in pages[-2]
    assert "Gesamt (200 Stellen) 150,0 12.579.000 €" in "\n".join(pages)
