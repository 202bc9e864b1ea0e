"""The SVG charts: pure functions, tested without a database."""
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"

# Own share per block, 01.12.2021-31.12.2022 (Vorlage 002).
BLOCKS = ["Baustein 1: Koordination", "Baustein 1: Verwaltungsassistenz", "Baustein 2: CM in den Kommunen",
          "Baustein 3: Variante 1"]
OWN_SHARES = (Decimal("158644"), Decimal("10335"), Decimal("258818"), Decimal("82533"))


def own_share_chart(**kwargs):
    options = {"chart_id": "eigenanteil", "title": "Eigenanteil je Block"} | kwargs
    return charts.bar_chart(BLOCKS, [charts.Series("Eigenanteil", OWN_SHARES)], **options)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def integrationspauschale(**kwargs):
    series = charts.StepSeries("Integrationspauschale", (
        (date(2021, 5, 27), Decimal("450000")), (date(2021, 9, 1), Decimal("370364")),
        (date(2021, 11, 1), Decimal("271661")),
    ), usable_until=date(2021, 11, 30))
    options = {"chart_id": "deckung", "title": "Restbetrag", "start": date(2021, 5, 1), "end": date(2022, 12, 31),
               "markers": [charts.Marker(date(2021, 11, 30), "verwendbar bis 30.11.2021")]} | kwargs
    return charts.step_chart([series], **options)


def test_a_bar_chart_is_valid_svg_with_size_viewbox_title_and_description():
    root = parse(own_share_chart(description="Vorlage 002"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "eigenanteil-title eigenanteil-desc"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert root.find(f"{SVG}title").text == "Eigenanteil je Block"
    assert root.find(f"{SVG}title").get("id") == "eigenanteil-title"
    description = root.find(f"{SVG}desc").text
    assert description.startswith("Vorlage 002")
    assert "Baustein 1: Koordination: 158.644\u00a0€" in description


def test_bars_are_as_long_as_their_share_of_the_largest_own_share():
    widths = [Decimal(rect.get("width")) for rect in bars(parse(own_share_chart()))]

    # 258.818 € is the longest bar; 158.644 € is 61,3 % of it, 10.335 € 4,0 %.
    assert max(widths) == widths[2]
    for width, amount in zip(widths, OWN_SHARES):
        assert abs(width / widths[2] - amount / OWN_SHARES[2]) < Decimal("0.005")


def test_bar_figures_are_written_in_german_format():
    labels = texts(parse(own_share_chart()))

    assert "158.644\u00a0€" in labels
    assert "10.335\u00a0€" in labels
    assert "258.818\u00a0€" in labels


def test_fte_and_days_are_written_with_a_decimal_comma():
    fte = charts.bar_chart(["Baustein 3"], [charts.Series("gefördert", (Decimal("2.25"),))], chart_id="vzae",
                           title="VZÄ", unit=charts.FTE)
    days = charts.bar_chart(["Swisttal"], [charts.Series("Tage", (Decimal("3.00"),))], chart_id="tage",
                            title="Tage", unit=charts.DAYS)

    assert "2,25\u00a0VZÄ" in texts(parse(fte))
    assert "3,0\u00a0Tage" in texts(parse(days))


def test_the_same_input_gives_the_same_markup():
    assert own_share_chart() == own_share_chart()
    assert integrationspauschale() == integrationspauschale()


def test_text_is_escaped():
    svg = charts.bar_chart(['<script>alert("x")</script> & Co'], [charts.Series("A&B", (Decimal("1"),))],
                           chart_id="x", title='Titel <b>"fett"</b>', description="a < b")

    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Titel <b>"fett"</b>'
    assert any('<script>alert("x")</script> & Co' in "".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_a_chart_id_that_is_not_a_plain_name_is_made_one():
    root = parse(charts.bar_chart(["A"], [charts.Series("S", (Decimal("1"),))], chart_id='1" onload="x',
                                  title="T"))

    assert root.get("onload") is None
    assert root.find(f"{SVG}title").get("id") == "chart-1--onload--x-title"


@pytest.mark.parametrize("categories, series", [([], []), (["Alfter"], []), ([], [charts.Series("S", ())])])
def test_a_bar_chart_without_data_says_so(categories, series):
    root = parse(charts.bar_chart(categories, series, chart_id="leer", title="Leer"))

    assert "Keine Daten für diese Auswahl." in texts(root)
    assert root.find(f"{SVG}desc").text == "Keine Daten für diese Auswahl."


def test_zero_values_give_zero_length_bars_and_no_division_by_zero():
    root = parse(charts.bar_chart(["Eitorf", "Siegburg"], [charts.Series("Tage", (Decimal("0"), Decimal("0")))],
                                  chart_id="null", title="Tage", unit=charts.DAYS))

    assert [rect.get("width") for rect in bars(root)] == ["0", "0"]


def test_a_row_without_days_shows_its_note_instead_of_a_bar():
    root = parse(charts.bar_chart(
        ["Alfter", "Eitorf"], [charts.Series("Tage", (Decimal("2"), Decimal("0")))], chart_id="cm", title="CM",
        unit=charts.DAYS, notes=["", "kein Bedarf"]))

    assert len(bars(root)) == 1
    assert "kein Bedarf" in texts(root)


def test_grouped_bars_have_a_legend_and_one_bar_per_series():
    root = parse(charts.bar_chart(
        ["Baustein 2"], [charts.Series("gefördert", (Decimal("11"),)), charts.Series("besetzt", (Decimal("4"),))],
        chart_id="stellen", title="Stellen", unit=charts.FTE))

    first, second = bars(root)
    assert "gefördert" in texts(root) and "besetzt" in texts(root)
    assert first.get("y") != second.get("y")
    assert abs(Decimal(second.get("width")) / Decimal(first.get("width")) - Decimal(4) / 11) < Decimal("0.005")


def test_stacked_bars_start_where_the_previous_part_ends_and_show_the_total():
    root = parse(charts.bar_chart(
        ["Baustein 2"], [charts.Series("gedeckt", (Decimal("121140"),)), charts.Series("ungedeckt", (Decimal("238910"),))],
        chart_id="gestapelt", title="Eigenanteil", stacked=True))

    covered, uncovered = bars(root)
    assert Decimal(uncovered.get("x")) == Decimal(covered.get("x")) + Decimal(covered.get("width"))
    assert "360.050\u00a0€" in texts(root)


def test_every_series_needs_a_value_per_category():
    with pytest.raises(ValueError):
        charts.bar_chart(["A", "B"], [charts.Series("S", (Decimal("1"),))], chart_id="x", title="T")


def test_the_step_chart_marks_the_expiry_date_with_a_vertical_line_and_its_label():
    root = parse(integrationspauschale())

    marker_lines = [line for line in root.iter(f"{SVG}line") if line.get("stroke") == charts.MARKER]
    assert len(marker_lines) == 1
    assert marker_lines[0].get("x1") == marker_lines[0].get("x2")
    assert "verwendbar bis 30.11.2021" in texts(root)
    assert "verwendbar bis 30.11.2021" in root.find(f"{SVG}desc").text


def test_the_step_chart_draws_the_balance_dashed_after_the_expiry():
    root = parse(integrationspauschale())

    solid, dashed = root.iter(f"{SVG}path")
    assert solid.get("stroke-dasharray") is None
    assert dashed.get("stroke-dasharray")
    # The dashed part begins at the expiry marker.
    marker = next(line for line in root.iter(f"{SVG}line") if line.get("stroke") == charts.MARKER)
    assert dashed.get("d").startswith(f"M{marker.get('x1')} ")


def test_the_step_chart_writes_its_balances_and_months_in_german_format():
    root = parse(integrationspauschale())

    labels = texts(root)
    assert "05/2021" in labels and "400.000\u00a0€" in labels
    assert "450.000\u00a0€ am 27.05.2021" in root.find(f"{SVG}desc").text


def test_the_step_chart_shades_the_fiscal_year():
    root = parse(integrationspauschale(band=charts.Band(date(2022, 1, 1), date(2022, 12, 31), "Haushaltsjahr 2022")))

    shade = next(rect for rect in root.iter(f"{SVG}rect") if rect.get("fill") == "#eef2f5")
    assert Decimal(shade.get("width")) > 0
    assert "Haushaltsjahr 2022" in texts(root)


def test_a_marker_outside_the_range_is_left_out_of_the_plot():
    root = parse(integrationspauschale(markers=[charts.Marker(date(2020, 1, 1), "früher")]))

    assert "früher" not in texts(root)


@pytest.mark.parametrize("series, end", [
    ([], date(2022, 12, 31)),
    ([charts.StepSeries("leer", ())], date(2022, 12, 31)),
    ([charts.StepSeries("A", ((date(2022, 1, 1), Decimal("1")),))], date(2021, 1, 1)),
])
def test_a_step_chart_without_data_says_so(series, end):
    root = parse(charts.step_chart(series, chart_id="leer", title="Leer", start=date(2022, 1, 1), end=end))

    assert "Keine Daten für diese Auswahl." in texts(root)


def test_a_step_chart_of_zero_balances_divides_by_nothing():
    root = parse(charts.step_chart([charts.StepSeries("Rücklage", ((date(2022, 1, 1), Decimal("0")),))],
                                   chart_id="null", title="Null", start=date(2022, 1, 1), end=date(2022, 12, 31)))

    assert next(root.iter(f"{SVG}path")).get("d").startswith("M")


def test_the_bar_table_has_the_figures_of_the_chart_and_a_total():
    table = charts.bar_table(BLOCKS, [charts.Series("Eigenanteil", OWN_SHARES)], caption="Eigenanteil",
                             category_heading="Block", total=True)

    assert table.headers == ("Block", "Eigenanteil")
    assert table.rows[0] == ("Baustein 1: Koordination", "158.644\u00a0€")
    assert table.rows[-1] == ("Summe", "510.330\u00a0€")
    assert [numeric for _, numeric in table.head] == [False, True]


def test_a_bar_table_with_notes_keeps_the_note_column_as_text():
    table = charts.bar_table(["Eitorf"], [charts.Series("Tage", (Decimal("0"),))], caption="CM",
                             category_heading="Kommune", unit=charts.DAYS, notes=["kein Bedarf"])

    assert table.body == [[("Eitorf", False), ("0,0\u00a0Tage", True), ("kein Bedarf", False)]]


def test_the_step_table_carries_each_balance_forward_and_marks_unknown_ones():
    later = charts.StepSeries("Rücklage", ((date(2021, 9, 1), Decimal("1000")),))
    table = charts.step_table([charts.StepSeries("Integrationspauschale", (
        (date(2021, 5, 27), Decimal("450000")), (date(2021, 11, 1), Decimal("271661")))), later], caption="Stand")

    assert table.rows == (
        ("27.05.2021", "450.000\u00a0€", "—"),
        ("01.09.2021", "450.000\u00a0€", "1.000\u00a0€"),
        ("01.11.2021", "271.661\u00a0€", "1.000\u00a0€"),
    )


@pytest.mark.parametrize("maximum, top, step", [
    ("258818", "300000", "100000"), ("450000", "500000", "100000"), ("11", "12.5", "2.5"), ("35", "40", "10"),
    ("2.25", "2.5", "0.5"), ("0", "1", "1"),
])
def test_the_axis_ends_at_a_round_figure(maximum, top, step):
    assert charts._scale(Decimal(maximum)) == (Decimal(top), Decimal(step))


def test_weasyprint_renders_a_chart_with_its_figures_as_text(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    pdfplumber = pytest.importorskip("pdfplumber")
    target = tmp_path / "chart.pdf"
    weasyprint.HTML(string=f"<html><body>{own_share_chart()}{integrationspauschale()}</body></html>").write_pdf(target)

    with pdfplumber.open(target) as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")
    assert "158.644€" in text and "258.818€" in text
    assert "verwendbarbis30.11.2021" in text
