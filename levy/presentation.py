"""The Kreisumlage as pages, papers and the command line show it: tables, charts, JSON, CSV and text.

Everything here formats levy.selectors' results (levy.rules.CaseSplit); nothing is computed anew. Charts are
drawn by reports.charts (server-side SVG, no inline script or style), as on the dashboard.
"""
from __future__ import annotations

from decimal import Decimal

from kimportal.money import format_money
from reports import charts

from .rules import CaseSplit
from .selectors import LevyOverview

TITLE = "Aufteilung über die Kreisumlage"


def _amount(value: Decimal) -> str:
    """As own_share's JSON writes amounts: whole euros without places, otherwise with cents."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal("1")))
    return str(value.quantize(Decimal("0.01")))


def percent(share: Decimal) -> str:
    """0.1234 → "12,34 %"."""
    return f"{share * 100:.2f}".replace(".", ",") + "\u00a0%"


def case_chart(case: CaseSplit, index: int) -> charts.Chart:
    """Bars: each municipality's part of the case's own share (EUR), summed over the fiscal years."""
    chart_id = f"kreisumlage-{index}"
    title = f"{TITLE}: {case.case}"
    categories = [row.municipality for row in case.rows]
    series = [charts.Series("Anteil am Eigenanteil", tuple(row.total for row in case.rows))]
    years = ", ".join(str(year.fiscal_year) for year in case.split_years)
    description = (f"Eigenanteil {format_money(case.total)} ({years}), nach Umlagegrundlagen auf die Kommunen "
                   "aufgeteilt.")
    # Wider than the default: 19 bars scaled to the paper's 150 mm stay short enough to share a page with the table.
    svg = charts.bar_chart(categories, series, chart_id=chart_id, title=title, description=description, width=680)
    table = charts.bar_table(categories, series, caption=title, category_heading="Kommune", total=True)
    return charts.Chart(chart_id, title, description, svg, table)


def case_table(case: CaseSplit) -> dict:
    """Rows and columns of a case's table: per split fiscal year the basis, share and amount; a sum per row."""
    years = case.split_years
    rows = []
    for row in case.rows:
        rows.append({"municipality": row.municipality, "total": row.total, "cells": [
            None if cell is None else {"basis": cell.basis, "share": percent(cell.share), "amount": cell.amount}
            for cell in row.cells]})
    return {
        "years": [{"fiscal_year": y.fiscal_year, "bases_year": y.bases_year, "own_share": y.own_share,
                   "basis_total": sum((p.basis for p in y.parts), Decimal(0)), "split_total": y.split_total}
                  for y in years],
        "rows": rows,
        "total": case.total,
        "own_share": case.own_share,
        "notes": list(case.notes),
    }


def overview_data(overview: LevyOverview) -> dict:
    """For the own-share page and the KIM paper: per case its table and chart (id, title, SVG); JSON-serialisable
    with Django's encoder, so an issued paper's snapshot keeps it. The table gives the chart's figures."""
    cases = []
    for index, case in enumerate(overview.cases):
        chart = case_chart(case, index)
        # A scenario that leaves the own share of every year unchanged splits it the same way: papers say so.
        same_as = next((other.case for other in overview.cases[:index]
                        if other.years == case.years and other.rows == case.rows), None)
        cases.append({"name": case.case, "table": case_table(case), "same_as": same_as,
                      "chart": {"id": chart.id, "title": chart.title, "svg": chart.svg}})
    return {"applies": overview.applies, "note": overview.note, "cases": cases, "sources": list(overview.sources),
            "scope": overview.scope}


# --------------------------------------------------------------------------- own_share --format json|csv|text


def case_json(overview: LevyOverview, case_name: str) -> dict:
    """``kreisumlage``: per municipality ``municipality``, ``basis`` and ``share`` (of the period's last split
    fiscal year), ``amount`` (summed over the years) and ``years`` (each year's figures); ``kreisumlage_notes``;
    ``kreisumlage_basis``: what was split, as the own-share page says it – ``scope`` (words) and ``own_share``
    (EUR, the case's own share, = the sum of the amounts) – or None for a kreisfreie Stadt."""
    case = overview.case(case_name)
    if case is None:
        return {"kreisumlage": [], "kreisumlage_notes": [overview.note] if overview.note else [],
                "kreisumlage_basis": None}
    years = case.split_years
    entries = []
    for row in case.rows:
        last = next((cell for cell in reversed(row.cells) if cell is not None), None)
        entries.append({
            "municipality": row.municipality,
            "basis": _amount(last.basis) if last else None,
            "share": str(last.share) if last else None,
            "amount": _amount(row.total),
            "years": [{"fiscal_year": year.fiscal_year, "bases_year": year.bases_year, "basis": _amount(cell.basis),
                       "share": str(cell.share), "amount": _amount(cell.amount)}
                      for year, cell in zip(years, row.cells) if cell is not None],
        })
    return {"kreisumlage": entries, "kreisumlage_notes": list(case.notes),
            "kreisumlage_basis": {"scope": overview.scope, "own_share": _amount(case.own_share)}}


CSV_HEADER = ["case", "kreisumlage", "municipality", "fiscal_year", "bases_year", "basis", "share", "amount"]


def csv_rows(overview: LevyOverview, neutralise) -> list[list[str]]:
    """The block of extra CSV rows: a header, then per case, fiscal year and municipality its part, and per case
    a ``Summe`` row; ``neutralise`` makes user text safe for spreadsheets (kimportal.exports.neutralise_cell)."""
    rows = [CSV_HEADER]
    for case in overview.cases:
        for year in case.split_years:
            for part in year.parts:
                rows.append([neutralise(case.case), "kreisumlage", neutralise(part.municipality), str(year.fiscal_year),
                             str(year.bases_year), _amount(part.basis), str(part.share), _amount(part.amount)])
        rows.append([neutralise(case.case), "kreisumlage", "Summe", "", "", "", "", _amount(case.total)])
    return rows


def text_lines(overview: LevyOverview, case_name: str) -> list[str]:
    """A short section for the text output: the split per municipality, or why there is none."""
    case = overview.case(case_name)
    if case is None:
        return [f"Kreisumlage: {overview.note}"] if overview.note else []
    years = case.split_years
    if not years:  # nothing split: only why
        return ["Kreisumlage:"] + [f"    {note}" for note in case.notes]
    lines = [f"Kreisumlage: {overview.scope or 'Eigenanteil'} {format_money(case.total)}, aufgeteilt nach "
             f"Umlagegrundlagen {', '.join(str(y.bases_year) for y in years)}:"]
    for row in case.rows:
        shares = " / ".join(percent(cell.share) if cell else "—" for cell in row.cells)
        lines.append(f"    {row.municipality:<28}{shares:>22}{format_money(row.total):>14}")
    lines += [f"    {note}" for note in case.notes]
    return lines
